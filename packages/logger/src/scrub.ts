/**
 * Keys whose values are secrets wherever they appear in a log object. Matched
 * case-insensitively against the whole key, so `encodingAesKey`,
 * `WECHAT_TOKEN` and `msg_signature` are all caught.
 */
const SECRET_KEY = /token|password|passwd|secret|aes_?key|signature|authorization|cookie|encrypt$/i;

// user:password@ inside any URL, e.g. redis://:pw@host or postgresql://u:pw@host.
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi;

export const REDACTED = '[Redacted]';

export function scrubString(value: string): string {
  return value.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
}

/**
 * Returns a copy with secret-named keys redacted and URL credentials removed
 * from every string. Bounded in depth so a cyclic or huge object cannot stall
 * the logging call.
 */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  if (value instanceof Error) return scrubError(value, depth);
  if (Buffer.isBuffer(value) || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item !== undefined && item !== null ? REDACTED : scrub(item, depth + 1);
  }
  return out;
}

function scrubError(error: Error, depth: number): Record<string, unknown> {
  const plain: Record<string, unknown> = {
    type: error.name,
    message: scrubString(error.message),
    stack: error.stack === undefined ? undefined : scrubString(error.stack),
  };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) plain.code = code;
  if (error.cause !== undefined) plain.cause = scrub(error.cause, depth + 1);
  return plain;
}
