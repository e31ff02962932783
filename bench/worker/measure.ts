import { readFile } from 'node:fs/promises';
import { inboundQueue, type RedisConnection } from '@wxcs/queue';

export interface JobTimes {
  readonly timestamp: number;
  readonly processedOn: number;
  readonly finishedOn: number;
}

/** BullMQ's own timestamps of every job, read straight from the job hashes. */
export async function readJobTimes(redis: RedisConnection, prefix: string, jobIds: readonly string[]): Promise<JobTimes[]> {
  const times: JobTimes[] = [];
  for (let start = 0; start < jobIds.length; start += 1_000) {
    const pipeline = redis.pipeline();
    for (const id of jobIds.slice(start, start + 1_000)) pipeline.hmget(`${prefix}:${inboundQueue.name}:${id}`, 'timestamp', 'processedOn', 'finishedOn');
    for (const [error, value] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      const [timestamp, processedOn, finishedOn] = (value as (string | null)[]).map(Number);
      times.push({ timestamp: timestamp ?? NaN, processedOn: processedOn ?? NaN, finishedOn: finishedOn ?? NaN });
    }
  }
  return times;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Peak resident set size of a process, in MB, from /proc (Linux). */
export async function readPeakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const line = status.split('\n').find((entry) => entry.startsWith('VmHWM:')) ?? '';
  return Number(/(\d+) kB/.exec(line)?.[1] ?? NaN) / 1_024;
}

/** CPU time (user + system, all threads) a process has used so far, in ms (10 ms ticks). */
export async function readProcessCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of stat(5).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Busy CPU time of the whole machine so far (every CPU, everything but idle and iowait), in ms. */
export async function readMachineBusyMs(): Promise<number> {
  const first = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = first.split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) * 10;
}

