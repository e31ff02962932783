import type { EnvelopeFields } from './envelope-fields.js';
import { PayloadError } from './errors.js';
import { detectFormat, type DataFormat } from './format.js';
import { readJsonEnvelope } from './json-envelope.js';
import { MAX_DOCUMENT_LENGTH, MAX_TO_USER_NAME_LENGTH } from './limits.js';
import { readXmlEnvelope } from './xml-envelope.js';

export interface Envelope extends Readonly<EnvelopeFields> {
  readonly format: DataFormat;
}

const BYTE_ORDER_MARK = 0xfeff;

/**
 * What has to be read from a callback body before its signature can be
 * checked: the format, the outer Encrypt and ToUserName, and how many other
 * fields sit beside them. Nothing here is authenticated, so it is a strict
 * single pass, linear in the body whatever it holds (see readJsonEnvelope,
 * readXmlEnvelope); the full document parser only ever sees text that a
 * signature vouches for.
 */
export function readEnvelope(body: string): Envelope {
  if (body.length > MAX_DOCUMENT_LENGTH) {
    throw new PayloadError('too_large', `document exceeds ${MAX_DOCUMENT_LENGTH} characters`);
  }
  const format = detectFormat(body);
  const start = body.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0;
  const fields = format === 'json' ? readJsonEnvelope(body, start) : readXmlEnvelope(body, start);
  if (fields.toUserName !== undefined && fields.toUserName.length > MAX_TO_USER_NAME_LENGTH) {
    throw new PayloadError('bad_field', `ToUserName exceeds ${MAX_TO_USER_NAME_LENGTH} characters`);
  }
  return { format, ...fields };
}
