// Pre-verification cost per KiB: `npm run bench:pre-verification`.
// Everything the receiver runs on a request before it knows the callback is
// WeChat's, timed on bodies of 1 KiB to the default body limit (256 KiB):
// genuine callbacks and every hostile family of @wxcs/wechat/testing, the
// latter under a genuine query so the body is really read. Linear code shows
// a flat µs/KiB; the last column is µs/KiB at the largest size over µs/KiB
// at the smallest, from this run. Request targets are capped at 16 KiB by
// Node's header limit and measured the same way up to that size.
import { callbackTarget } from '../../apps/receiver/src/http/callback-url.js';
import { normalizeQuery } from '../../apps/receiver/src/routes/callback-query.js';
import { verifyCallback } from '../../apps/receiver/src/routes/verify-callback.js';
import { BENCH_TOKEN, GENUINE_FAMILIES, HOSTILE_FAMILIES, TARGET_FAMILIES, type BodyFamily } from './bodies.js';
import { microsPerCall } from './measure.js';

const KIB = 1024;
const BODY_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256];
const TARGET_SIZES = [1, 2, 4, 8, 16];
const SHOWN = [1, 4, 16, 64, 256];

interface Row {
  readonly name: string;
  readonly outcome: string;
  /** µs per KiB by size in KiB. */
  readonly perKib: ReadonlyMap<number, number>;
  readonly largestMicros: number;
}

function outcomeOf(run: () => void): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    const { status, reason } = error as { status?: number; reason?: string };
    return status === undefined ? `threw ${(error as Error).name}` : `${status} ${reason ?? ''}`;
  }
}

function quietly(run: () => void): () => void {
  return () => {
    try {
      run();
    } catch {
      // Refusals are the expected outcome for hostile bodies; only their cost is measured here.
    }
  };
}

interface Prepared {
  readonly run: () => void;
  readonly length: number;
  readonly outcome: string;
}

function verifyRun(family: BodyFamily, sizeKib: number): Prepared {
  const { body, query } = family.build(sizeKib * KIB);
  const input = { token: BENCH_TOKEN, encryption: 'compatible' as const, body, query, timestampToleranceSeconds: 0, nowSeconds: 0 };
  const run = () => void verifyCallback(input);
  return { run, length: body.length, outcome: outcomeOf(run) };
}

function targetRun(url: string): Prepared {
  const run = () => void normalizeQuery(callbackTarget(url)?.query);
  return { run, length: url.length, outcome: callbackTarget(url) === undefined ? 'not a callback URL' : 'parsed' };
}

function measureFamily(name: string, sizes: readonly number[], prepare: (sizeKib: number) => Prepared): Row {
  const perKib = new Map<number, number>();
  let outcome = '';
  let largestMicros = 0;
  for (const size of sizes) {
    const prepared = prepare(size);
    const { run, length } = prepared;
    outcome = prepared.outcome;
    largestMicros = microsPerCall(quietly(run));
    perKib.set(size, largestMicros / (length / KIB));
  }
  return { name, outcome, perKib, largestMicros };
}

function table(title: string, rows: readonly Row[], shown: readonly number[]): void {
  const first = shown[0] ?? 1;
  const last = shown[shown.length - 1] ?? 1;
  console.log(`\n${title}\n`);
  console.log(`| family | outcome | ${shown.map((size) => `µs/KiB at ${size} KiB`).join(' | ')} | µs per request at ${last} KiB | ratio ${last}/${first} KiB |`);
  console.log(`|---|---|${shown.map(() => '---:').join('|')}|---:|---:|`);
  for (const row of rows) {
    const cells = shown.map((size) => (row.perKib.get(size) ?? Number.NaN).toFixed(2));
    const ratio = (row.perKib.get(last) ?? Number.NaN) / (row.perKib.get(first) ?? Number.NaN);
    console.log(`| ${row.name} | ${row.outcome} | ${cells.join(' | ')} | ${row.largestMicros.toFixed(0)} | ${ratio.toFixed(2)} |`);
  }
}

function main(): void {
  console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}; median of 5 timed batches of ≥ 20 ms per cell`);
  // One pass over every family first, so the JIT has seen each path before anything is timed.
  for (const family of [...GENUINE_FAMILIES, ...HOSTILE_FAMILIES]) microsPerCall(quietly(verifyRun(family, 4).run), 5, 1);
  const bodies = [...GENUINE_FAMILIES, ...HOSTILE_FAMILIES].map((family) => measureFamily(family.name, BODY_SIZES, (size) => verifyRun(family, size)));
  table('verifyCallback (authenticateCallback + timestamp check), app in compatible mode', bodies, SHOWN);
  const targets = TARGET_FAMILIES.map((family) => measureFamily(family.name, TARGET_SIZES, (size) => targetRun(family.build(size * KIB))));
  table('callbackTarget + normalizeQuery on the request target', targets, TARGET_SIZES);
  const worst = Math.max(...[...bodies, ...targets].map((row) => {
    const sizes = [...row.perKib.keys()];
    return (row.perKib.get(sizes[sizes.length - 1] ?? 0) ?? 0) / (row.perKib.get(sizes[0] ?? 0) ?? 1);
  }));
  console.log(`\nlargest ratio in this run: ${worst.toFixed(2)} (a quadratic family would show about ${BODY_SIZES[BODY_SIZES.length - 1]})`);
}

main();
