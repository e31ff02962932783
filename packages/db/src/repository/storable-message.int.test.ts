import { randomBytes } from 'node:crypto';
import { describe, expect } from 'vitest';
import { classifyDatabaseError } from '../client/database-failure.js';
import { databaseTest } from '../testing/index.js';
import { newMessage } from '../testing/new-message.js';
import type { NewCustomerMessage } from './customer-message.js';
import { findMessagesByApp } from '../testing/find-messages.js';
import { insertMessages } from './insert-messages.js';
import { STORAGE_NOTE_KEY, toStorableMessage } from './storable-message.js';

const test = databaseTest('storable-message');


// Random base64 does not compress, so PostgreSQL cannot shrink it into an index entry.
const incompressible = (length: number) => randomBytes(length).toString('base64').slice(0, length);

const HOSTILE: Record<string, Partial<NewCustomerMessage>> = {
  'NUL in the payload and msg_info': { payloadJson: JSON.stringify({ Content: 'a\u0000b' }), msgInfo: { text: 'a\u0000b' } },
  'a lone surrogate in the payload and msg_info': { payloadJson: JSON.stringify({ Content: 'a\ud800b' }), msgInfo: { text: 'a\ud800b' } },
  'NUL in a column': { fromUsername: 'o\u0000' },
  'an over-long sender': { fromUsername: incompressible(6_000) },
  'an over-long dedup key': { dedupKey: `evt:${incompressible(6_000)}` },
};

describe('toStorableMessage against PostgreSQL', () => {
  test.for(Object.entries(HOSTILE))('a row with %s is refused as it is and stored once made storable', async ([, overrides], { db }) => {
    const row = newMessage({ appId: 'wx_hostile', ...overrides });
    const refused = await insertMessages(db.prisma, [row]).then(
      () => undefined,
      (error: unknown) => classifyDatabaseError(error),
    );
    expect(refused).toMatchObject({ kind: 'rejected', sqlState: expect.stringMatching(/^(22|54)/) as string });

    const storable = toStorableMessage(row);
    expect(await insertMessages(db.prisma, [storable])).toEqual(['inserted']);
    expect(await insertMessages(db.prisma, [toStorableMessage(row)])).toEqual(['duplicate']);
    const stored = (await findMessagesByApp(db.prisma, 'wx_hostile', { limit: 1_000 })).find((candidate) => candidate.dedupKey === storable.dedupKey);
    expect(stored?.msgInfo[STORAGE_NOTE_KEY]).toEqual(storable.msgInfo[STORAGE_NOTE_KEY]);
    expect(stored?.fromUsername).toBe(storable.fromUsername);
    expect(JSON.parse(stored?.payloadJson ?? 'null')).toEqual(JSON.parse(storable.payloadJson));
  });
});
