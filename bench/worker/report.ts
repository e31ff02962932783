import type { Workload } from './callbacks.js';
import type { Result } from './variant.js';

const pct = (cpus: number) => `${(cpus * 100).toFixed(0)}%`;

function row(result: Result, round: number): string {
  return [
    `${result.variant.slice(0, 2)} #${round}`,
    result.perSecond.toFixed(0),
    `${result.p50Ms.toFixed(0)} / ${result.p99Ms.toFixed(0)}`,
    result.p99InWorkerMs.toFixed(0),
    pct(result.workerCpu),
    result.workerCpuUsPerMessage.toFixed(0),
    pct(result.otherCpu),
    result.peakRssMb.toFixed(0),
    result.stored,
  ].join(' | ');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Markdown: one row per run, then the ratios of the medians. */
export function formatReport(runs: ReadonlyMap<string, readonly Result[]>, workload: Workload, settings: string): string {
  const rows = [...runs.values()].flatMap((results) => results.map((result, index) => `| ${row(result, index + 1)} |`));
  const rate = (prefix: string) => median([...runs.entries()].filter(([name]) => name.startsWith(prefix)).flatMap(([, results]) => results.map((r) => r.perSecond)));
  const cpu = (prefix: string) =>
    median([...runs.entries()].filter(([name]) => name.startsWith(prefix)).flatMap(([, results]) => results.map((r) => r.workerCpuUsPerMessage)));
  return [
    `${workload.deliveries.length} callbacks (${workload.distinct} distinct messages, the rest re-deliveries), encrypted JSON, mixed types; ${settings}.`,
    '',
    '| run | msgs/s | job latency p50 / p99 (ms) | p99 in worker (ms) | worker CPU | worker CPU µs/msg | other CPU | peak RSS (MB) | stored |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows,
    '',
    `Medians: (a) ${rate('a)').toFixed(0)}, (b) ${rate('b)').toFixed(0)}, (c) ${rate('c)').toFixed(0)}, (d) ${rate('d)').toFixed(0)} msgs/s.`,
    `(c)/(a) = ${(rate('c)') / rate('a)')).toFixed(2)} (target ≥ 0.5); (c)/(b) = ${(rate('c)') / rate('b)')).toFixed(2)} (target ≥ 5); ceiling (d)/(a) = ${(rate('d)') / rate('a)')).toFixed(2)}.`,
    `Worker CPU per message: (a) ${cpu('a)').toFixed(0)}, (b) ${cpu('b)').toFixed(0)}, (c) ${cpu('c)').toFixed(0)}, (d) ${cpu('d)').toFixed(0)} µs; (a)/(c) = ${(cpu('a)') / cpu('c)')).toFixed(2)}.`,
    `From intake batches, as the receiver feeds it: (e) ${rate('e)').toFixed(0)} msgs/s at ${cpu('e)').toFixed(0)} µs/msg; (e)/(a) = ${(rate('e)') / rate('a)')).toFixed(2)}, (e)/(c) = ${(rate('e)') / rate('c)')).toFixed(2)}.`,
  ].join('\n');
}
