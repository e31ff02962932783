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
  // Most strings hold no URL at all; the check spares them the regex.
  return value.includes('://') ? value.replace(URL_CREDENTIALS, `$1${REDACTED}@`) : value;
}

/**
 * Returns a copy with secret-named keys redacted and URL credentials removed
 * from every string. Bounded in depth so a cyclic or huge object cannot stall
 * the logging call.
 *
 * Only plain objects, arrays and Errors are walked. Class instances (a
 * Buffer, a Date, or the ServerResponse pino-http hands over as `res`) are
 * returned as they are, for pino's serializers to reduce: walking one can
 * mean walking its socket, server and everything they reference, which once
 * cost more than the whole rest of a request.
 */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  if (value instanceof Error) return scrubError(value, depth);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
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

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
