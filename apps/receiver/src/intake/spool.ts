import { constants } from 'node:fs';
import { access, mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { InboundCallback } from '@wxcs/queue';
import { SpoolWriteError } from '../errors.js';
import { createGroupCommit } from './group-commit.js';
import {
  appendLines,
  createSegment,
  parseSegment,
  scanSpoolDir,
  syncDir,
  type ActiveSegment,
  type SegmentContents,
  type SpoolSegment,
} from './spool-segments.js';

export type { SegmentContents, SpoolSegment } from './spool-segments.js';
export { parseSegment } from './spool-segments.js';

/**
 * A local, append-only, fsynced store for callbacks that Redis did not take
 * in time. New batches go to the one active segment; a drain works on sealed
 * segments only and deletes a segment once everything in it is in Redis. A
 * crash at any point leaves either the segment (drained again: job ids make
 * that idempotent) or nothing left to do.
 */
export interface Spool {
  readonly dir: string;
  /** Callbacks written and not yet drained. */
  readonly depth: () => number;
  /** Resolves once the batch is durable: one write and one fsync, shared with batches that queued up meanwhile. */
  readonly append: (callbacks: readonly InboundCallback[]) => Promise<void>;
  /** Seals the active segment and lists every sealed segment, oldest first. */
  readonly sealedSegments: () => Promise<readonly SpoolSegment[]>;
  readonly readSegment: (segment: SpoolSegment) => Promise<SegmentContents>;
  /** Deletes a drained segment. */
  readonly removeSegment: (segment: SpoolSegment) => Promise<void>;
  /** Renames a segment with unreadable lines out of the way; returns the new file name. */
  readonly quarantineSegment: (segment: SpoolSegment) => Promise<string>;
  readonly isWritable: () => Promise<boolean>;
  readonly close: () => Promise<void>;
}

export interface SpoolOptions {
  readonly dir: string;
  /** A segment is sealed once it grows past this, so a drain never reads a huge file. */
  readonly maxSegmentBytes?: number;
  /** Called after each durable write (one fsync) with the number of callbacks it held. */
  readonly onWrite?: (callbacks: number) => void;
}

const DEFAULT_MAX_SEGMENT_BYTES = 8 * 1024 * 1024;

/** Runs tasks one at a time in call order (appends, seals and removals must not interleave). */
function createSerializer(): <T>(task: () => Promise<T>) => Promise<T> {
  let chain: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = chain.then(task, task);
    chain = run.catch(() => undefined);
    return run;
  };
}

/** Opens (creating if needed) the spool directory and takes stock of what a previous run left. */
export async function openSpool(options: SpoolOptions): Promise<Spool> {
  const { dir } = options;
  const maxSegmentBytes = options.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES;
  await mkdir(dir, { recursive: true });
  const scanned = await scanSpoolDir(dir);
  const sealed = scanned.segments;
  let nextSeq = scanned.nextSeq;
  let active: ActiveSegment | undefined;
  let lastAppendFailed = false;
  const serialize = createSerializer();

  async function seal(): Promise<void> {
    const done = active;
    if (!done) return;
    active = undefined;
    // Listed as sealed in the same turn it stops being active, so depth() never misses it.
    if (done.entries > 0) sealed.push({ name: done.name, entries: done.entries });
    await done.handle.close().catch(() => undefined);
    if (done.entries === 0) await unlink(join(dir, done.name)).catch(() => undefined);
  }

  async function append(callbacks: readonly InboundCallback[]): Promise<void> {
    if (callbacks.length === 0) return;
    const text = callbacks.map((callback) => JSON.stringify(callback)).join('\n') + '\n';
    try {
      active ??= await createSegment(dir, nextSeq++);
      await appendLines(active, text, callbacks.length).catch(async (error: unknown) => {
        // Never append behind a failed write again: the next batch starts a new segment.
        await seal();
        throw error;
      });
      if (active.size >= maxSegmentBytes) await seal();
      lastAppendFailed = false;
      options.onWrite?.(callbacks.length);
    } catch (cause) {
      lastAppendFailed = true;
      throw new SpoolWriteError(`spool append failed in ${dir}`, { cause });
    }
  }

  const commit = createGroupCommit<InboundCallback>((callbacks) => serialize(() => append(callbacks)));

  function forget(segment: SpoolSegment): void {
    const index = sealed.findIndex((s) => s.name === segment.name);
    if (index !== -1) sealed.splice(index, 1);
  }

  return {
    dir,
    depth: () => sealed.reduce((sum, segment) => sum + segment.entries, active?.entries ?? 0),
    append: commit,
    sealedSegments: () =>
      serialize(async () => {
        await seal();
        return [...sealed];
      }),
    readSegment: async (segment) => parseSegment(await readFile(join(dir, segment.name), 'utf8')),
    removeSegment: (segment) =>
      serialize(async () => {
        await unlink(join(dir, segment.name));
        await syncDir(dir);
        forget(segment);
      }),
    quarantineSegment: (segment) =>
      serialize(async () => {
        const target = `${segment.name}.rejected`;
        await rename(join(dir, segment.name), join(dir, target));
        await syncDir(dir);
        forget(segment);
        return target;
      }),
    isWritable: async () =>
      !lastAppendFailed &&
      access(dir, constants.W_OK).then(
        () => true,
        () => false,
      ),
    close: () => serialize(seal),
  };
}
