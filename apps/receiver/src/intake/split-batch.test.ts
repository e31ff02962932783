import type { InboundCallback } from '@wxcs/queue';
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_BODY_CHARS, splitByBodySize } from './split-batch.js';

const callback = (id: string, bodyChars: number): InboundCallback => ({
  v: 1,
  callbackId: id,
  app: 'default',
  receivedAt: '2026-12-05T00:00:00.000Z',
  body: 'x'.repeat(bodyChars),
  contentType: 'application/json',
  query: {},
});
const ids = (batches: InboundCallback[][]) => batches.map((batch) => batch.map((c) => c.callbackId));

describe('splitByBodySize', () => {
  it('keeps small callbacks in one batch, in order', () => {
    expect(ids(splitByBodySize([callback('a', 900), callback('b', 1_200), callback('c', 10)]))).toEqual([['a', 'b', 'c']]);
  });

  it('starts a new batch before the bodies would pass the bound, and sends a larger body alone', () => {
    const half = MAX_BATCH_BODY_CHARS / 2;
    const batches = splitByBodySize([callback('a', half), callback('b', half), callback('c', 1), callback('d', MAX_BATCH_BODY_CHARS + 5), callback('e', 1)]);
    expect(ids(batches)).toEqual([['a', 'b'], ['c'], ['d'], ['e']]);
  });

  it('makes no batch of nothing', () => {
    expect(splitByBodySize([])).toEqual([]);
  });
});
