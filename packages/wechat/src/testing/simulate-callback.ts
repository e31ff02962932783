// Builds POST callbacks the way WeChat does, for tests of the receiver, the
// worker and this package. Signing and encryption are implemented here again,
// directly on node:crypto, so tests cross-check the production code paths.
import { createCipheriv, createHash, randomBytes, randomInt } from 'node:crypto';
import type { WechatFields, WechatValue } from '../fields.js';
import type { DataFormat } from '../format.js';
import type { MessageEncryption } from '../authenticate-callback.js';
import type { AppCredentials } from '../open-callback.js';
import { sampleMessage } from './sample-messages.js';
import type { SampleName } from './sample-messages.js';

export interface SimulatedCallback {
  body: string;
  query: Record<string, string>;
  contentType: string;
}

export interface SimulateCallbackOptions {
  app: AppCredentials;
  /** A fields object, or the name of a sample from sample-messages. */
  message: WechatFields | SampleName;
  format: DataFormat;
  mode: MessageEncryption;
  /** Defaults to now: a receiver checks it against its clock. */
  timestamp?: string;
  /** Random when omitted, as WeChat's are. */
  nonce?: string;
  /** 16 bytes; random when omitted. */
  random?: Buffer;
  /** Defaults to the message's FromUserName. */
  openid?: string;
  /** Override to reproduce WeChat's wrong headers (JSON sent as text/xml). */
  contentType?: string;
}

// WeChat sends these as bare numbers in JSON and bare text in XML.
const NUMERIC_FIELDS = new Set(['CreateTime', 'MsgId', 'MsgID']);

export function simulateCallback(options: SimulateCallbackOptions): SimulatedCallback {
  const fields =
    typeof options.message === 'string' ? sampleMessage(options.message) : options.message;
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? String(randomInt(100_000_000, 1_000_000_000));
  const { token } = options.app;
  const signature = sha1Sorted([token, timestamp, nonce]);
  const contentType =
    options.contentType ?? (options.format === 'json' ? 'application/json' : 'text/xml');
  const plaintext = serializeFields(fields, options.format);
  if (options.mode === 'plaintext') {
    return { body: plaintext, query: { signature, timestamp, nonce }, contentType };
  }

  const encrypt = aesEncrypt(options.app, plaintext, options.random ?? randomBytes(16));
  const outer: WechatFields =
    options.mode === 'safe'
      ? { ToUserName: textOf(fields.ToUserName), Encrypt: encrypt }
      : { ...fields, Encrypt: encrypt };
  const query = {
    signature,
    timestamp,
    nonce,
    openid: options.openid ?? textOf(fields.FromUserName),
    encrypt_type: 'aes',
    msg_signature: sha1Sorted([token, timestamp, nonce, encrypt]),
  };
  return { body: serializeFields(outer, options.format), query, contentType };
}

/** The GET the console sends when the push URL is saved. */
export function simulateUrlVerification(p: {
  token: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
}): { query: Record<string, string> } {
  const timestamp = p.timestamp ?? '1714036504';
  const nonce = p.nonce ?? '1514711492';
  const echostr = p.echostr ?? '4375120948345356249';
  const signature = sha1Sorted([p.token, timestamp, nonce]);
  return { query: { signature, timestamp, nonce, echostr } };
}

/**
 * Fields as WeChat writes them: CreateTime/MsgId as bare numbers (JSON) or
 * bare text (XML), every other value a string (JSON) or CDATA (XML).
 */
export function serializeFields(fields: WechatFields, format: DataFormat): string {
  return format === 'json' ? jsonObject(fields) : `<xml>${xmlChildren(fields)}</xml>`;
}

// Fixture parts are ASCII, where JS string order equals WeChat's byte order.
function sha1Sorted(parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

function textOf(value: WechatValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

function aesEncrypt(app: AppCredentials, message: string, random: Buffer): string {
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const framed = Buffer.concat([random, length, body, Buffer.from(app.appId, 'utf8')]);
  const pad = 32 - (framed.length % 32);
  const cipher = createCipheriv('aes-256-cbc', app.aesKey, app.aesKey.subarray(0, 16));
  cipher.setAutoPadding(false);
  const padded = Buffer.concat([framed, Buffer.alloc(pad, pad)]);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

function jsonObject(fields: WechatFields): string {
  const members = Object.entries(fields).map(
    ([key, value]) => `${JSON.stringify(key)}:${jsonValue(key, value)}`,
  );
  return `{${members.join(',')}}`;
}

function jsonValue(key: string, value: WechatValue): string {
  if (typeof value === 'string') {
    return NUMERIC_FIELDS.has(key) && /^[0-9]+$/.test(value) ? value : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => jsonValue(key, item)).join(',')}]`;
  return jsonObject(value);
}

function xmlChildren(fields: WechatFields): string {
  return Object.entries(fields)
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => [key, v] as const))
    .map(([key, value]) => xmlElement(key, value))
    .join('');
}

function xmlElement(name: string, value: WechatValue): string {
  if (Array.isArray(value)) throw new Error('XML cannot hold an array directly inside an array');
  if (typeof value !== 'string') return `<${name}>${xmlChildren(value)}</${name}>`;
  const text =
    NUMERIC_FIELDS.has(name) && /^[0-9]+$/.test(value)
      ? value
      : `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
  return `<${name}>${text}</${name}>`;
}
