import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBufferedDestination } from './buffered-destination.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function logFile(): { fd: number; read: () => string } {
  const dir = mkdtempSync(join(tmpdir(), 'buffered-destination-'));
  dirs.push(dir);
  const path = join(dir, 'log');
  const fd = openSync(path, 'w');
  return { fd, read: () => readFileSync(path, 'utf8') };
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return condition();
}

describe('createBufferedDestination', () => {
  it('writes a lone short line out within maxDelayMs instead of holding it until the buffer fills', async () => {
    const file = logFile();
    const destination = createBufferedDestination({ fd: file.fd, minLength: 4096, maxDelayMs: 50 });
    destination.write('{"msg":"receiver listening"}\n');
    expect(file.read()).toBe('');
    expect(await waitUntil(() => file.read().includes('receiver listening'), 2_000)).toBe(true);
    (destination as unknown as { destroy: () => void }).destroy();
  });

  it('still batches: lines written together leave together once the buffer fills', async () => {
    const file = logFile();
    const destination = createBufferedDestination({ fd: file.fd, minLength: 64, maxDelayMs: 60_000 });
    for (let i = 0; i < 10; i++) destination.write(`{"i":${i}}\n`);
    expect(await waitUntil(() => file.read().includes('"i":5'), 2_000)).toBe(true);
    (destination as unknown as { destroy: () => void }).destroy();
  });
});
