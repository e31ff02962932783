import { TIMED_OUT, raceTimeout } from '@wxcs/service';
import { Gauge, type Registry } from 'prom-client';

export interface CountableQueue {
  readonly name: string;
  readonly getJobCounts: (...types: JobState[]) => Promise<Record<string, number>>;
}

type JobState = 'waiting' | 'active' | 'delayed' | 'prioritized' | 'waiting-children' | 'completed' | 'failed';

const STATES: readonly JobState[] = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'];

/**
 * Queue depth by state, read from Redis at scrape time (a few O(1) commands
 * per queue). Bounded so a Redis outage makes the scrape skip the gauge
 * instead of hanging it.
 */
export function registerQueueDepth(registry: Registry, queues: readonly CountableQueue[], timeoutMs: number): void {
  new Gauge({
    name: 'wxcs_queue_jobs',
    help: 'Jobs per queue and state, read at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        queues.map(async (queue) => {
          const counts = await raceTimeout(queue.getJobCounts(...STATES).catch(() => undefined), timeoutMs);
          if (counts === TIMED_OUT || counts === undefined) return;
          for (const state of STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
}
