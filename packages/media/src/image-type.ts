/** The image types WeChat takes for temporary media (PNG, JPEG, GIF), by their first bytes. */
const SIGNATURES: readonly { readonly type: string; readonly extension: string; readonly magic: readonly number[] }[] = [
  { type: 'image/jpeg', extension: 'jpg', magic: [0xff, 0xd8, 0xff] },
  { type: 'image/png', extension: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/gif', extension: 'gif', magic: [0x47, 0x49, 0x46, 0x38] },
];

export const IMAGE_CONTENT_TYPES: ReadonlySet<string> = new Set(SIGNATURES.map((signature) => signature.type));

/**
 * What the file is by its content, not by what the client declared: a
 * declared image/png that is a PDF is refused here instead of by WeChat.
 */
export function sniffImage(bytes: Uint8Array): { type: string; extension: string } | undefined {
  const found = SIGNATURES.find(({ magic }) => magic.every((byte, index) => bytes[index] === byte));
  return found && { type: found.type, extension: found.extension };
}
