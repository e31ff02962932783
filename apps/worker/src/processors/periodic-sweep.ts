import type { Logger } from '@wxcs/logger';

export interface PeriodicSweep {
  /** Sweeps now, then every `intervalMs`. */
  readonly start: () => void;
  /** Stops the timer and waits for a sweep in progress. */
  readonly stop: () => Promise<void>;
}

export interface PeriodicSweepOptions {
  /** Named in the log line of a sweep that failed. */
  readonly name: string;
  /** One sweep; resolves with how many things it acted on. */
  readonly sweep: () => Promise<number>;
  /** Called after a sweep that acted on something, to log it. */
  readonly onSwept: (count: number) => void;
  readonly intervalMs: number;
  readonly logger: Logger;
}

/**
 * Runs `sweep` on a timer, one sweep at a time. A sweep that fails (Redis or
 * PostgreSQL away) is logged and the next one tries again. The timer does not
 * keep the process alive.
 */
export function createPeriodicSweep(options: PeriodicSweepOptions): PeriodicSweep {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  function sweep(): void {
    running ??= options
      .sweep()
      .then(
        (count) => {
          if (count > 0) options.onSwept(count);
        },
        (error: unknown) => options.logger.warn({ err: error, sweep: options.name }, 'sweep interrupted, will retry'),
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
