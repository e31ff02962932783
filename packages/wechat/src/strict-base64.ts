const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Standard, padded, canonical base64 only; anything else returns undefined.
 * Node's decoder would accept and skip whitespace, invalid characters, the
 * URL-safe alphabet and missing padding; re-encoding and comparing rejects all
 * of them, including non-zero trailing bits.
 */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}
