import { appendFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpoolWriteError } from '../errors.js';
import { fakeCallback } from '../testing/callbacks.js';
import { openSpool, parseSegment, type Spool } from './spool.js';

let dir: string;
const opened: Spool[] = [];

async function open(options: { maxSegmentBytes?: number } = {}): Promise<Spool> {
  const spool = await openSpool({ dir, ...options });
  opened.push(spool);
  return spool;
}

async function contentsOf(spool: Spool): Promise<string[]> {
  const nonces: string[] = [];
  for (const segment of await spool.sealedSegments()) {
    for (const callback of (await spool.readSegment(segment)).callbacks) nonces.push(callback.query.nonce ?? '');
  }
  return nonces;
}

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'receiver-spool-')), 'spool');
});

afterEach(async () => {
  for (const spool of opened.splice(0)) await spool.close().catch(() => undefined);
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('openSpool', () => {
  it('appends batches as JSON lines and counts its depth', async () => {
    const spool = await open();
    await spool.append([fakeCallback('a'), fakeCallback('b')]);
    await spool.append([fakeCallback('c')]);
    expect(spool.depth()).toBe(3);
    const [file] = await readdir(dir);
    const lines = (await readFile(join(dir, file ?? ''), 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { query: { nonce: string } }).query.nonce)).toEqual(['a', 'b', 'c']);
  });

  it('finds what a previous process left, in order, and never reuses a segment number', async () => {
    const first = await open();
    await first.append([fakeCallback('a')]);
    await first.sealedSegments();
    await first.append([fakeCallback('b')]);
    await first.close();

    const second = await open();
    expect(second.depth()).toBe(2);
    await second.append([fakeCallback('c')]);
    expect(await contentsOf(second)).toEqual(['a', 'b', 'c']);
    const names = (await second.sealedSegments()).map((segment) => segment.name);
    expect(new Set(names).size).toBe(3);
    expect([...names].sort()).toEqual(names);
  });

  it('seals the active segment so later appends go to a new one', async () => {
    const spool = await open();
    await spool.append([fakeCallback('a')]);
    const [sealed] = await spool.sealedSegments();
    await spool.append([fakeCallback('b')]);
    expect((await spool.readSegment(sealed!)).callbacks.map((c) => c.query.nonce)).toEqual(['a']);
    expect(await contentsOf(spool)).toEqual(['a', 'b']);
  });

  it('keeps counting a segment while sealing it: the depth drops only when a drain removes it', async () => {
    const spool = await open();
    await spool.append([fakeCallback('a'), fakeCallback('b')]);
    let sealing = true;
    const sealed = spool.sealedSegments().finally(() => (sealing = false));
    const seen = new Set<number>();
    // Sealing closes a file handle: read the depth at every turn of the event loop until it is done.
    while (sealing) {
      seen.add(spool.depth());
      await new Promise((resolve) => setImmediate(resolve));
    }
    await sealed;
    expect([...seen]).toEqual([2]);
    expect(spool.depth()).toBe(2);
  });

  it('removes a drained segment and lowers the depth', async () => {
    const spool = await open();
    await spool.append([fakeCallback('a'), fakeCallback('b')]);
    const [segment] = await spool.sealedSegments();
    await spool.removeSegment(segment!);
    expect(spool.depth()).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it('rotates segments by size', async () => {
    const spool = await open({ maxSegmentBytes: 1 });
    await spool.append([fakeCallback('a')]);
    await spool.append([fakeCallback('b')]);
    expect(spool.depth()).toBe(2);
    expect(await readdir(dir)).toHaveLength(2);
  });

  it('quarantines a segment under a name it will not read again', async () => {
    const spool = await open();
    await spool.append([fakeCallback('a')]);
    const [segment] = await spool.sealedSegments();
    const kept = await spool.quarantineSegment(segment!);
    expect(kept).toMatch(/\.rejected$/);
    expect(spool.depth()).toBe(0);
    const reopened = await open();
    expect(reopened.depth()).toBe(0);
    await reopened.append([fakeCallback('b')]);
    expect(await readdir(dir)).toHaveLength(2);
  });

  it('fails with SpoolWriteError when the directory is gone, and reports itself unwritable', async () => {
    const spool = await open();
    expect(await spool.isWritable()).toBe(true);
    await rm(dir, { recursive: true });
    await expect(spool.append([fakeCallback('a')])).rejects.toBeInstanceOf(SpoolWriteError);
    expect(await spool.isWritable()).toBe(false);
    expect(spool.depth()).toBe(0);
  });

  it('treats a torn final line as never written and counts corrupt lines', async () => {
    const spool = await open();
    await spool.append([fakeCallback('a')]);
    const [segment] = await spool.sealedSegments();
    await appendFile(join(dir, segment!.name), 'not json\n' + JSON.stringify(fakeCallback('b')) + '\n{"v":1,"callb');
    const contents = await spool.readSegment(segment!);
    expect(contents.callbacks.map((c) => c.query.nonce)).toEqual(['a', 'b']);
    expect(contents.invalidLines).toBe(1);
    expect(contents.tornTail).toBe(true);
  });
});

describe('parseSegment', () => {
  it('keeps a complete record that only lost its newline', () => {
    const record = JSON.stringify(fakeCallback('x'));
    expect(parseSegment(record)).toMatchObject({ invalidLines: 0, tornTail: false });
    expect(parseSegment(record).callbacks).toHaveLength(1);
  });

  it('rejects lines that are JSON but not callbacks', () => {
    expect(parseSegment('{"v":2}\n\n')).toEqual({ callbacks: [], invalidLines: 1, tornTail: false });
  });
});

describe('spool files', () => {
  it('are plain JSON lines an operator can read', async () => {
    const spool = await open();
    const callback = fakeCallback('readable');
    await spool.append([callback]);
    const [file] = await readdir(dir);
    expect(JSON.parse(await readFile(join(dir, file ?? ''), 'utf8'))).toEqual(callback);
    await writeFile(join(dir, 'unrelated.txt'), 'ignored');
    expect((await open()).depth()).toBe(1);
  });
});
