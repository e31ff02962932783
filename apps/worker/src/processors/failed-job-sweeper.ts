import type { Logger } from '@wxcs/logger';
import { createPeriodicSweep, type PeriodicSweep } from './periodic-sweep.js';

export type FailedJobSweeper = PeriodicSweep;

/** Runs `rescue` (see rescueFailedJobs) now and every `intervalMs`, one sweep at a time. */
export function createFailedJobSweeper(options: {
  readonly rescue: () => Promise<number>;
  readonly intervalMs: number;
  readonly logger: Logger;
}): FailedJobSweeper {
  return createPeriodicSweep({
    name: 'failed jobs',
    sweep: options.rescue,
    onSwept: (rescued) => options.logger.warn({ rescued }, 'moved failed jobs to the dead letters'),
    intervalMs: options.intervalMs,
    logger: options.logger,
  });
}
