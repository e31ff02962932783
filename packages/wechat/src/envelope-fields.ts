/** The top level of a callback body as read before anything in it is authenticated. */
export interface EnvelopeFields {
  encrypt?: string;
  toUserName?: string;
  /** Top-level fields besides Encrypt and ToUserName: a compatible-mode envelope's plaintext copy, or a plaintext message. */
  otherFields: number;
}

/** Which EnvelopeFields member a top-level name fills; undefined for every other name. */
export function envelopeMember(name: string): 'encrypt' | 'toUserName' | undefined {
  if (name === 'Encrypt') return 'encrypt';
  if (name === 'ToUserName') return 'toUserName';
  return undefined;
}
