import { createHash } from 'node:crypto';
import type { NewCustomerMessage } from './customer-message.js';
import { isStorableText, toStorableJsonText, toStorableText, truncateText } from './storable-text.js';

/** The `msg_info` key under which `toStorableMessage` says what it changed. */
export const STORAGE_NOTE_KEY = 'storage_note';

// WeChat's identifiers are short: openid 28 characters, original id gh_ + 12,
// AppID 18, MsgId at most 20 digits (a string of ~50 on the cloud path),
// signatures 40. 128 is ample, and keeps both indexes' entries far below
// btree's 2704 bytes (54000 beyond).
const MAX_IDENTIFIER_LENGTH = 128;
// (app_id, dedup_key) is the unique index. A longer key is stored as its
// digest, which keeps it exact: truncating could merge two messages.
const MAX_DEDUP_KEY_LENGTH = 512;
// WeChat documents no size for the text it pushes; 2048 bytes is its limit
// on text sent back. msg_info is a summary: the payload keeps every character.
const MAX_INFO_VALUE_LENGTH = 16_384;
const MAX_NOTE_LENGTH = 1_024;

const REPLACED = 'NUL or lone surrogate replaced with U+FFFD';

/**
 * The row as PostgreSQL can hold it, so that no message is unstorable: NUL
 * and lone surrogates become U+FFFD everywhere (payload included), values
 * longer than their column's bound are cut, and a dedup key too long for its
 * index is replaced by its digest. Each change is listed in
 * `msg_info.storage_note`; the same row comes back when nothing changed.
 */
export function toStorableMessage(row: NewCustomerMessage): NewCustomerMessage {
  const notes: string[] = [];
  const id = (value: string, column: string) => storableValue(value, MAX_IDENTIFIER_LENGTH, column, notes);
  const optionalId = (value: string | null, column: string) => (value === null ? null : id(value, column));
  const payloadJson = toStorableJsonText(row.payloadJson);
  if (payloadJson !== undefined) notes.push(`payload: ${REPLACED}`);
  const stored: NewCustomerMessage = {
    ...row,
    appId: id(row.appId, 'app_id'),
    signature: optionalId(row.signature, 'signature'),
    timestamp: optionalId(row.timestamp, 'timestamp'),
    nonce: optionalId(row.nonce, 'nonce'),
    openid: optionalId(row.openid, 'openid'),
    encryptType: optionalId(row.encryptType, 'encrypt_type'),
    msgSignature: optionalId(row.msgSignature, 'msg_signature'),
    toUsername: id(row.toUsername, 'to_username'),
    fromUsername: id(row.fromUsername, 'from_username'),
    msgType: id(row.msgType, 'msg_type'),
    msgId: optionalId(row.msgId, 'msg_id'),
    // Not indexed, and bounded by the callback body: kept whole, as the evidence.
    encrypt: row.encrypt === null ? null : storableValue(row.encrypt, Infinity, 'encrypt', notes),
    dedupKey: storableDedupKey(row.dedupKey, notes),
    payloadJson: payloadJson ?? row.payloadJson,
    msgInfo: storableInfo(row.msgInfo, notes),
  };
  if (notes.length === 0) return row;
  return { ...stored, msgInfo: { ...stored.msgInfo, [STORAGE_NOTE_KEY]: truncateText(notes.join('; '), MAX_NOTE_LENGTH) } };
}

function storableValue(value: string, max: number, column: string, notes: string[]): string {
  let stored = value;
  if (!isStorableText(stored)) {
    stored = toStorableText(stored);
    notes.push(`${column}: ${REPLACED}`);
  }
  if (stored.length > max) {
    notes.push(`${column}: cut from ${stored.length} to ${max} characters`);
    stored = truncateText(stored, max);
  }
  return stored;
}

function storableDedupKey(key: string, notes: string[]): string {
  if (key.length <= MAX_DEDUP_KEY_LENGTH && isStorableText(key)) return key;
  notes.push(`dedup_key: ${key.length} characters stored as their SHA-256`);
  // UTF-16 code units, so keys that differ only in a lone surrogate stay apart.
  return `sha256:${createHash('sha256').update(key, 'utf16le').digest('base64url')}`;
}

function storableInfo(info: Readonly<Record<string, string>>, notes: string[]): Readonly<Record<string, string>> {
  const entries = Object.entries(info);
  const clean = entries.every(([key, value]) => isStorableText(key) && isStorableText(value) && value.length <= MAX_INFO_VALUE_LENGTH);
  if (clean) return info;
  return Object.fromEntries(
    entries.map(([key, value]) => {
      const storedKey = isStorableText(key) ? key : toStorableText(key);
      if (storedKey !== key) notes.push(`msg_info key ${JSON.stringify(storedKey)}: ${REPLACED}`);
      return [storedKey, storableValue(value, MAX_INFO_VALUE_LENGTH, `msg_info.${storedKey}`, notes)];
    }),
  );
}
