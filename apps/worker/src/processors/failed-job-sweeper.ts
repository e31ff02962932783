import type { Logger } from '@wxcs/logger';

export interface FailedJobSweeper {
  /** Sweeps now, then every `intervalMs`. */
  readonly start: () => void;
  /** Stops the timer and waits for a sweep in progress. */
  readonly stop: () => Promise<void>;
}

/**
 * Runs `rescue` (see rescueFailedJobs) on a timer, one sweep at a time. A
 * sweep that fails (Redis away) is logged and the next one tries again.
 */
export function createFailedJobSweeper(options: {
  readonly rescue: () => Promise<number>;
  readonly intervalMs: number;
  readonly logger: Logger;
}): FailedJobSweeper {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  function sweep(): void {
    running ??= options
      .rescue()
      .then(
        (rescued) => {
          if (rescued > 0) options.logger.warn({ rescued }, 'moved failed jobs to the dead letters');
        },
        (error: unknown) => options.logger.warn({ err: error }, 'failed-job sweep interrupted, will retry'),
      )
      .finally(() => {
        running = undefined;
      });
  }

  return {
    start: () => {
      timer ??= setInterval(sweep, options.intervalMs);
      timer.unref();
      sweep();
    },
    stop: async () => {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
