import { describe, expect, it } from 'vitest';
import type { NewCustomerMessage } from './customer-message.js';
import { dedupIdentity, firstOfEachIdentity, resolveOutcomes, toBatchJson } from './insert-batch.js';

const row = (appId: string, dedupKey: string, extra: Partial<NewCustomerMessage> = {}): NewCustomerMessage => ({
  appId,
  signature: null,
  timestamp: null,
  nonce: null,
  openid: null,
  encryptType: null,
  msgSignature: null,
  toUsername: 'gh_1',
  fromUsername: 'o_user',
  msgType: 'text',
  msgInfo: { text: 'hi' },
  msgId: null,
  encrypt: null,
  dedupKey,
  msgCreateTime: new Date('2025-01-02T03:04:05.678Z'),
  payloadJson: '{}',
  dataFormat: 'json',
  receivedAt: new Date('2025-01-02T03:04:06.000Z'),
  ...extra,
});

describe('insert batch planning', () => {
  it('identities cannot collide through separators', () => {
    expect(dedupIdentity('a|b', 'c')).not.toBe(dedupIdentity('a', 'b|c'));
    expect(dedupIdentity('ab', 'c')).not.toBe(dedupIdentity('a', 'bc'));
    expect(dedupIdentity('1:a', 'b')).not.toBe(dedupIdentity('1', ':ab'));
    expect(dedupIdentity('a', 'b')).toBe(dedupIdentity('a', 'b'));
  });

  it('sends the first row of each identity only', () => {
    const rows = [row('a', '1'), row('a', '2'), row('a', '1', { msgType: 'later' }), row('b', '1')];
    expect(firstOfEachIdentity(rows).map((r) => [r.appId, r.dedupKey, r.msgType])).toEqual([
      ['a', '1', 'text'],
      ['a', '2', 'text'],
      ['b', '1', 'text'],
    ]);
  });

  it('reports inserted once per accepted identity, in input order', () => {
    const rows = [row('a', '1'), row('a', '2'), row('a', '1'), row('b', '1')];
    const inserted = new Set([dedupIdentity('a', '1'), dedupIdentity('b', '1')]);
    expect(resolveOutcomes(rows, inserted)).toEqual(['inserted', 'duplicate', 'duplicate', 'inserted']);
    expect(resolveOutcomes([], inserted)).toEqual([]);
  });

  it('turns rows into one JSON array per row, in column order: text untouched, msg_info an object, times in epoch ms', () => {
    const batch = JSON.parse(
      toBatchJson([
        row('a', '1', { msgId: '22223624286040849', msgInfo: { pic: 'u', media_id: 'm' }, payloadJson: '{"MsgId":22223624286040849}' }),
        row('a', '2', { signature: 's', dataFormat: 'xml' }),
      ]),
    ) as unknown[][];
    expect(batch).toEqual([
      ['a', null, null, null, null, null, null, 'gh_1', 'o_user', 'text', { pic: 'u', media_id: 'm' }, '22223624286040849', null, '1',
        Date.parse('2025-01-02T03:04:05.678Z'), '{"MsgId":22223624286040849}', 'json', Date.parse('2025-01-02T03:04:06.000Z')],
      ['a', 's', null, null, null, null, null, 'gh_1', 'o_user', 'text', { text: 'hi' }, null, null, '2',
        Date.parse('2025-01-02T03:04:05.678Z'), '{}', 'xml', Date.parse('2025-01-02T03:04:06.000Z')],
    ]);
  });
});
