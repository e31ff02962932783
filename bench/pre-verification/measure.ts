/** Median microseconds per call of `run`, timed in batches of at least `minBatchMs`. */
export function microsPerCall(run: () => void, minBatchMs = 20, batches = 5): number {
  let calls = 1;
  // Grow the batch until it takes long enough to time reliably.
  for (;;) {
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) run();
    if (performance.now() - started >= minBatchMs) break;
    calls *= 2;
  }
  const samples: number[] = [];
  for (let b = 0; b < batches; b += 1) {
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) run();
    samples.push(((performance.now() - started) * 1000) / calls);
  }
  return median(samples);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
