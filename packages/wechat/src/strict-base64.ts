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

/**
 * Whether `text` is padded standard base64 of a whole number of
 * `blockBytes`-byte blocks, by looking at its characters only (no decoding):
 * cheap enough to run on unauthenticated input.
 */
export function isBase64OfBlocks(text: string, blockBytes: number): boolean {
  if (text.length === 0 || text.length % 4 !== 0) return false;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const dataLength = text.length - padding;
  for (let i = 0; i < dataLength; i += 1) {
    if (!isBase64Char(text.charCodeAt(i))) return false;
  }
  const bytes = (text.length / 4) * 3 - padding;
  return bytes % blockBytes === 0;
}

function isBase64Char(char: number): boolean {
  return (
    (char >= 0x41 && char <= 0x5a) || // A-Z
    (char >= 0x61 && char <= 0x7a) || // a-z
    (char >= 0x30 && char <= 0x39) || // 0-9
    char === 0x2b || // +
    char === 0x2f // /
  );
}
