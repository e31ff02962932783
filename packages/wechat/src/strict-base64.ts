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
