import { open, readFile, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { inboundCallbackSchema, type InboundCallback } from '@wxcs/queue';

/** On-disk layout of the spool: numbered JSON-lines segment files, oldest first by name. */
export interface SpoolSegment {
  readonly name: string;
  readonly entries: number;
}

export interface SegmentContents {
  readonly callbacks: InboundCallback[];
  /** Complete lines that are not a valid callback (corruption; kept for an operator). */
  readonly invalidLines: number;
  /** A final line without newline: a write cut short by a crash, never acknowledged. */
  readonly tornTail: boolean;
}

/** The segment appends go to. */
export interface ActiveSegment {
  readonly name: string;
  readonly handle: FileHandle;
  size: number;
  entries: number;
}

const SEGMENT = /^segment-(\d{12})\.jsonl$/;
// Quarantined segments keep their number, so it is never reused.
const NUMBERED = /^segment-(\d{12})\./;

export const segmentName = (seq: number) => `segment-${String(seq).padStart(12, '0')}.jsonl`;

function countLines(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines += 1;
  return lines;
}

/** fsync of the directory itself, so a created, renamed or deleted entry survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** What a previous process left: its segments in order, and the next free segment number. */
export async function scanSpoolDir(dir: string): Promise<{ segments: SpoolSegment[]; nextSeq: number }> {
  const files = await readdir(dir);
  const segments: SpoolSegment[] = [];
  for (const name of files.filter((file) => SEGMENT.test(file)).sort()) {
    segments.push({ name, entries: countLines(await readFile(join(dir, name), 'utf8')) });
  }
  const nextSeq = 1 + Math.max(0, ...files.map((file) => Number(NUMBERED.exec(file)?.[1] ?? 0)));
  return { segments, nextSeq };
}

export async function createSegment(dir: string, seq: number): Promise<ActiveSegment> {
  const name = segmentName(seq);
  const handle = await open(join(dir, name), 'ax');
  await syncDir(dir);
  return { name, handle, size: 0, entries: 0 };
}

/**
 * One write and one fdatasync for the whole batch. On failure the segment is
 * cut back to its last good size, so later appends stay line-aligned.
 */
export async function appendLines(segment: ActiveSegment, text: string, count: number): Promise<void> {
  try {
    await segment.handle.appendFile(text, 'utf8');
    await segment.handle.datasync();
  } catch (error) {
    await segment.handle.truncate(segment.size).catch(() => undefined);
    throw error;
  }
  segment.size += Buffer.byteLength(text);
  segment.entries += count;
}

function parseLine(line: string): InboundCallback | undefined {
  try {
    const parsed = inboundCallbackSchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function parseSegment(text: string): SegmentContents {
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  const callbacks: InboundCallback[] = [];
  let invalidLines = 0;
  for (const line of lines) {
    if (line === '') continue;
    const callback = parseLine(line);
    if (callback) callbacks.push(callback);
    else invalidLines += 1;
  }
  let tornTail = false;
  if (tail !== '') {
    // A complete record that only lost its newline is still a record.
    const callback = parseLine(tail);
    if (callback) callbacks.push(callback);
    else tornTail = true;
  }
  return { callbacks, invalidLines, tornTail };
}
