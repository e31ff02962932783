// Property-based hostile input: whatever arrives, the package either returns a
// correct value or throws a WechatProtocolError subclass; nothing else escapes
// and nothing hangs. Run counts are kept moderate so the file takes ~1 s.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupKey } from './dedup-key.js';
import { parseDocument } from './document.js';
import { readEnvelope } from './envelope.js';
import { WechatProtocolError } from './errors.js';
import type { WechatFields, WechatValue } from './fields.js';
import { detectFormat } from './format.js';
import { messageInfo } from './message-info.js';
import { normalizeMessage } from './normalize-message.js';
import { openCallback } from './open-callback.js';
import { computeSignature } from './signature.js';
import { SAMPLE_NAMES, sampleCredentials, sampleMessage } from './testing/sample-messages.js';
import { serializeFields, simulateCallback } from './testing/simulate-callback.js';

const RUNS = { numRuns: 200 };
const app = sampleCredentials();

type Settled<T> = { ok: true; value: T } | { ok: false; error: WechatProtocolError };

/** A WechatProtocolError is a clean rejection; any other exception fails the property. */
function settle<T>(fn: () => T): Settled<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    if (error instanceof WechatProtocolError) return { ok: false, error };
    throw error;
  }
}

function splice(text: string, at: number, insert: string): string {
  const index = at % (text.length + 1);
  return text.slice(0, index) + insert + text.slice(index);
}

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'binary-ascii', maxLength: 200 }),
);
const xmlName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
// Text XML can carry verbatim: no control characters but tab/newline, no CR
// (XML normalises line ends).
const xmlSafeText = fc
  .string({ unit: 'binary', maxLength: 40 })
  .map((s) => s.replace(/[^\t\n\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, ''));
const knownKey = fc.constantFrom('ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'MsgId', 'Event', 'List');

const anyFields = fc.letrec<{ value: WechatValue; fields: WechatFields }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    anyText,
    tie('fields'),
    fc.array(tie('value'), { maxLength: 3 }),
  ),
  fields: fc.dictionary(fc.oneof(xmlName, knownKey), tie('value'), { maxKeys: 6 }),
})).fields;

// What XML can express: no array directly inside another array.
const xmlFields = fc.letrec<{ item: WechatValue; fields: WechatFields }>((tie) => ({
  item: fc.oneof({ depthSize: 'small' }, xmlSafeText, tie('fields')),
  fields: fc.dictionary(
    xmlName,
    fc.oneof(tie('item'), fc.array(tie('item'), { minLength: 2, maxLength: 3 })),
    { maxKeys: 5 },
  ),
})).fields;

describe('parsers only ever throw protocol errors', () => {
  it('detectFormat, parseDocument and readEnvelope on arbitrary text', () => {
    const prefix = fc.constantFrom('', '{', '<', '<xml>', '{"a":', '\uFEFF');
    fc.assert(
      fc.property(prefix, anyText, (start, text) => {
        const body = start + text;
        settle(() => detectFormat(body));
        settle(() => readEnvelope(body));
        const parsed = settle(() => parseDocument(body));
        if (parsed.ok) expect(['json', 'xml']).toContain(parsed.value.format);
      }),
      RUNS,
    );
  });

  it('truncated, spliced and doubled JSON', () => {
    const junk = fc.constantFrom('', '}', '{', '"', ',', ':', '\\', '[', '\u0000', '1e999');
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), fc.nat(), junk, (json, at, insert) => {
        const body = `{"a":${json}}`;
        expect(settle(() => parseDocument(body)).ok).toBe(true);
        expect(settle(() => readEnvelope(body)).ok).toBe(true);
        for (const broken of [splice(body, at, insert), body.slice(0, at % (body.length + 1))]) {
          settle(() => parseDocument(broken));
          settle(() => readEnvelope(broken));
        }
        expect(settle(() => parseDocument(body + body)).ok).toBe(false);
        expect(settle(() => readEnvelope(body + body)).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('truncated and spliced XML', () => {
    const junk = fc.constantFrom('', '<', '>', '</xml>', '<![CDATA[', ']]>', '&', '&lol;', '<!--');
    fc.assert(
      fc.property(xmlFields, fc.nat(), junk, (fields, at, insert) => {
        const body = serializeFields(fields, 'xml');
        expect(settle(() => parseDocument(body)).ok).toBe(true);
        expect(settle(() => readEnvelope(body)).ok).toBe(true);
        for (const broken of [splice(body, at, insert), body.slice(0, at % (body.length + 1))]) {
          settle(() => parseDocument(broken));
          settle(() => readEnvelope(broken));
        }
      }),
      RUNS,
    );
  });

  it('entity bombs and external entities are rejected, never expanded', () => {
    const definition = fc.constantFrom(
      'SYSTEM "file:///etc/passwd"',
      'SYSTEM "http://attacker.example/x"',
      '"lol"',
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), xmlName, definition, (levels, name, first) => {
        const entities = [`<!ENTITY ${name}0 ${first}>`];
        for (let i = 1; i < levels; i += 1) {
          entities.push(`<!ENTITY ${name}${i} "${`&${name}${i - 1};`.repeat(10)}">`);
        }
        const doctype = `<!DOCTYPE xml [${entities.join('')}]>`;
        const body = `<?xml version="1.0"?>${doctype}<xml><A>&${name}${levels - 1};</A></xml>`;
        for (const read of [parseDocument, readEnvelope]) {
          const result = settle(() => read(body));
          expect(result.ok ? 'parsed' : result.error.code).toBe('doctype_forbidden');
        }
      }),
      { numRuns: 50 },
    );
  });

  it('nesting is bounded at 32 levels in both formats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.boolean(), (depth, asXml) => {
        const body = asXml
          ? `<xml>${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}</xml>`
          : `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
        const result = settle(() => parseDocument(body));
        expect(result.ok ? 'parsed' : result.error.code).toBe(depth < 32 ? 'parsed' : 'too_deep');
        const envelope = settle(() => readEnvelope(body));
        expect(envelope.ok ? 'parsed' : envelope.error.code).toBe(depth < 32 ? 'parsed' : 'too_deep');
      }),
      { numRuns: 60 },
    );
  });

  it('a flat message reads back exactly from JSON and from XML', () => {
    fc.assert(
      fc.property(fc.dictionary(xmlName, xmlSafeText, { maxKeys: 6 }), (fields) => {
        expect(parseDocument(serializeFields(fields, 'json')).fields).toEqual(fields);
        expect(parseDocument(serializeFields(fields, 'xml')).fields).toEqual(fields);
      }),
      RUNS,
    );
  });
});

describe('readEnvelope and the full parser agree', () => {
  it('on Encrypt, ToUserName and the number of other fields, in both formats', () => {
    const optionalText = fc.option(xmlSafeText.filter((text) => text.length <= 64), { nil: undefined });
    fc.assert(
      fc.property(xmlFields, optionalText, optionalText, (fields, toUserName, encrypt) => {
        const all: WechatFields = { ...fields };
        if (toUserName !== undefined) all.ToUserName = toUserName;
        if (encrypt !== undefined) all.Encrypt = encrypt;
        for (const format of ['json', 'xml'] as const) {
          const body = serializeFields(all, format);
          const parsed = parseDocument(body).fields;
          const envelope = readEnvelope(body);
          expect(envelope.encrypt).toBe(parsed.Encrypt);
          expect(envelope.toUserName).toBe(parsed.ToUserName);
          const others = Object.entries(parsed).filter(([key]) => key !== 'Encrypt' && key !== 'ToUserName');
          // In XML a repeated element is one field per occurrence.
          const count = others.reduce((n, [, value]) => n + (format === 'xml' && Array.isArray(value) ? value.length : 1), 0);
          expect(envelope.otherFields).toBe(count);
        }
      }),
      RUNS,
    );
  });
});

describe('message model on hostile fields', () => {
  it('normalizeMessage, dedupKey and messageInfo accept or reject any fields object', () => {
    fc.assert(
      fc.property(anyFields, (fields) => {
        const result = settle(() => normalizeMessage(fields));
        if (!result.ok) return;
        expect(result.value.fields).toBe(fields);
        expect(dedupKey(result.value)).toMatch(/^(msg|evt):/);
        for (const value of Object.values(messageInfo(result.value))) {
          expect(typeof value).toBe('string');
        }
      }),
      RUNS,
    );
  });

  it('a container in any field of a valid sample is a bad_field PayloadError', () => {
    const container = fc.constantFrom<WechatValue>({}, [], ['a', 'b'], { x: 'y' });
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLE_NAMES), fc.nat(), container, (name, index, wrong) => {
        const fields = sampleMessage(name);
        const keys = Object.keys(fields);
        const key = keys[index % keys.length] ?? 'MsgType';
        // Even the optional fields (ThumbUrl, SessionFrom...) must be text when present.
        const result = settle(() => normalizeMessage({ ...fields, [key]: wrong }));
        expect(result.ok ? 'normalized' : result.error.code).toBe('bad_field');
      }),
      RUNS,
    );
  });

  it('event dedup keys are injective over their parts', () => {
    const part = fc.string({ unit: 'binary-ascii', maxLength: 12 });
    const seconds = fc.stringMatching(/^[0-9]{1,3}$/);
    const eventParts = fc.tuple(part, seconds, part, part);
    const keyOf = ([from, time, type, name]: [string, string, string, string]) =>
      dedupKey(
        normalizeMessage({
          ToUserName: 'gh',
          FromUserName: `o${from}`,
          CreateTime: time,
          MsgType: `t${type}`,
          Event: `e${name}`,
        }),
      );
    fc.assert(
      fc.property(eventParts, eventParts, (a, b) => {
        const same = a.every((value, i) => value === b[i]);
        expect(keyOf(a) === keyOf(b)).toBe(same);
      }),
      RUNS,
    );
  });
});

describe('openCallback on hostile requests', () => {
  const signed = (encrypt: string) => ({
    signature: computeSignature([app.token, '1', '2']),
    timestamp: '1',
    nonce: '2',
    encrypt_type: 'aes',
    msg_signature: computeSignature([app.token, '1', '2', encrypt]),
  });

  it('rejects arbitrary bodies with arbitrary queries', () => {
    const query = fc.record(
      {
        signature: anyText,
        timestamp: anyText,
        nonce: anyText,
        openid: anyText,
        encrypt_type: fc.constantFrom('aes', 'raw', '', 'AES', 'x'),
        msg_signature: anyText,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(anyText, query, (body, q) => {
        expect(settle(() => openCallback({ body, query: q, app })).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('rejects correctly signed but arbitrary Encrypt values during decryption', () => {
    const randomBase64 = fc
      .uint8Array({ minLength: 1, maxLength: 200 })
      .map((bytes) => Buffer.from(bytes).toString('base64'));
    const encrypt = fc.oneof(anyText.filter((s) => s !== ''), randomBase64);
    fc.assert(
      fc.property(encrypt, fc.constantFrom('json', 'xml'), (value, format) => {
        const body = serializeFields({ ToUserName: 'gh_1', Encrypt: value }, format);
        expect(settle(() => openCallback({ body, query: signed(value), app })).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('opens valid callbacks carrying arbitrary unicode content to exactly that content', () => {
    const format = fc.constantFrom('json', 'xml');
    const mode = fc.constantFrom('plaintext', 'compatible', 'safe');
    fc.assert(
      fc.property(xmlSafeText, format, mode, (content, f, m) => {
        const message = { ...sampleMessage('text'), Content: content };
        const callback = simulateCallback({ app, message, format: f, mode: m });
        const opened = openCallback({ body: callback.body, query: callback.query, app });
        expect(opened.fields.Content).toBe(content);
      }),
      RUNS,
    );
  });
});
