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
          const counts = await withTimeout(queue.getJobCounts(...STATES), timeoutMs);
          if (counts === undefined) return;
          for (const state of STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([work.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
