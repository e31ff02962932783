import { parseDocument } from './document.js';
import { optionalText } from './fields.js';
import type { DataFormat } from './format.js';

export interface Envelope {
  format: DataFormat;
  encrypt?: string;
  toUserName?: string;
}

/**
 * What the receiver needs on its request path before queueing: the format and
 * the outer Encrypt/ToUserName values. Nothing here is authenticated. JSON
 * envelopes take `parseDocument`'s `JSON.parse` fast path.
 */
export function readEnvelope(body: string): Envelope {
  const { format, fields } = parseDocument(body);
  const envelope: Envelope = { format };
  const encrypt = optionalText(fields, 'Encrypt');
  const toUserName = optionalText(fields, 'ToUserName');
  if (encrypt !== undefined) envelope.encrypt = encrypt;
  if (toUserName !== undefined) envelope.toUserName = toUserName;
  return envelope;
}
