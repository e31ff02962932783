/**
 * Standard, padded, canonical base64 only; anything else returns undefined.
 * Node's decoder would accept and skip whitespace, invalid characters, the
 * URL-safe alphabet and missing padding. Re-encoding yields only canonical
 * padded base64, so comparing it with the input rejects all of them,
 * including non-zero trailing bits, without a separate character check.
 */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

// One anchored pass; the star only ever gives characters back to a test that
// fails at once, so the match is linear in the text.
const PADDED_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Whether `text` is padded standard base64 of a whole number of
 * `blockBytes`-byte blocks, by looking at its characters only (no decoding):
 * cheap enough to run on unauthenticated input.
 */
export function isBase64OfBlocks(text: string, blockBytes: number): boolean {
  if (text.length === 0 || text.length % 4 !== 0 || !PADDED_BASE64.test(text)) return false;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return ((text.length / 4) * 3 - padding) % blockBytes === 0;
}
