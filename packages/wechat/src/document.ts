import { PayloadError } from './errors.js';
import type { WechatFields } from './fields.js';
import { detectFormat } from './format.js';
import type { DataFormat } from './format.js';
import { parseJsonFields } from './json-document.js';
import { MAX_DOCUMENT_LENGTH } from './limits.js';
import { parseXmlFields } from './xml-document.js';

export interface ParsedDocument {
  format: DataFormat;
  fields: WechatFields;
}

/**
 * Parses a JSON object or an `<xml>` document into exact-string fields.
 * With `format`, a body of the other format is a PayloadError (a decrypted
 * message must use the format the console is configured with).
 */
export function parseDocument(body: string, format?: DataFormat): ParsedDocument {
  if (body.length > MAX_DOCUMENT_LENGTH) {
    throw new PayloadError('too_large', `document exceeds ${MAX_DOCUMENT_LENGTH} characters`);
  }
  const detected = detectFormat(body);
  if (format !== undefined && format !== detected) {
    throw new PayloadError('format_mismatch', `expected a ${format} document, got ${detected}`);
  }
  // lossless-json does not skip a byte-order mark; the XML validator does.
  const text = body.startsWith('\uFEFF') ? body.slice(1) : body;
  const fields = detected === 'json' ? parseJsonFields(text) : parseXmlFields(text);
  return { format: detected, fields };
}
