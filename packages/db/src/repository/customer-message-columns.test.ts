import { describe, expect, it } from 'vitest';
import type { NewCustomerMessage } from './customer-message.js';
import { CUSTOMER_MESSAGE_COLUMNS, INSERT_BATCH_SQL, batchTuple } from './customer-message-columns.js';

// Every field a distinct value, so a value in the wrong place shows.
const row: NewCustomerMessage = {
  appId: 'v-app',
  signature: 'v-signature',
  timestamp: 'v-timestamp',
  nonce: 'v-nonce',
  openid: 'v-openid',
  encryptType: 'v-encrypt-type',
  msgSignature: 'v-msg-signature',
  toUsername: 'v-to',
  fromUsername: 'v-from',
  msgType: 'v-type',
  msgInfo: { text: 'v-info' },
  msgId: 'v-msg-id',
  encrypt: 'v-encrypt',
  dedupKey: 'v-dedup',
  msgCreateTime: new Date(1_000),
  payloadJson: '{"v":"payload"}',
  dataFormat: 'xml',
  receivedAt: new Date(2_000),
};

describe('the customer_message column list', () => {
  it('names every field of a new message once, each in its own column', () => {
    expect(CUSTOMER_MESSAGE_COLUMNS.map((column) => column.field).sort()).toEqual(Object.keys(row).sort());
    expect(new Set(CUSTOMER_MESSAGE_COLUMNS.map((column) => column.name)).size).toBe(CUSTOMER_MESSAGE_COLUMNS.length);
  });

  it('puts each value of the batch tuple where the INSERT unpacks its column', () => {
    const tuple = batchTuple(row);
    const [, insertList = '', selectList = ''] = /INSERT INTO customer_message \(([^)]*)\)\s*SELECT (.*)\s*FROM/s.exec(INSERT_BATCH_SQL) ?? [];
    const names = insertList.split(', ');
    const unpacked = selectList.split(', ');
    expect(names).toHaveLength(tuple.length);
    names.forEach((name, index) => {
      const column = CUSTOMER_MESSAGE_COLUMNS.find((candidate) => candidate.name === name);
      const value = row[column?.field ?? 'appId'];
      expect(tuple[index], name).toEqual(value instanceof Date ? value.getTime() : value);
      expect(unpacked[index], name).toMatch(new RegExp(`\\br->>?${index}\\b`));
    });
  });
});
