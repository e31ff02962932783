import type { Logger } from '@wxcs/logger';

export interface ShutdownStep {
  /** Shown in logs, e.g. `http server`, `worker`, `redis`. */
  readonly name: string;
  readonly run: () => Promise<void>;
}

export interface Shutdown {
  /** True from the first signal on; readiness probes answer 503 from then. */
  readonly isShuttingDown: () => boolean;
  /** Steps run in the order registered; register in start-up order of dependants first. */
  readonly register: (step: ShutdownStep) => void;
  /** Starts the shutdown once; later calls return the same promise. */
  readonly shutdown: (reason: string) => Promise<void>;
  /** Wires SIGTERM and SIGINT; returns a function that unwires them. */
  readonly listen: (signals?: readonly NodeJS.Signals[]) => () => void;
}

export interface ShutdownOptions {
  readonly logger: Logger;
  readonly timeoutMs: number;
  /** Injected so tests can observe the exit code instead of dying. */
  readonly exit: (code: number) => void;
}

/**
 * Ordered shutdown with a hard deadline: a stuck step cannot keep a
 * replica alive forever, and a repeated signal is harmless.
 */
export function createShutdown(options: ShutdownOptions): Shutdown {
  const steps: ShutdownStep[] = [];
  let running: Promise<void> | undefined;

  async function runSteps(): Promise<number> {
    let failed = false;
    for (const step of steps) {
      try {
        await step.run();
        options.logger.info({ step: step.name }, 'shutdown step done');
      } catch (error) {
        failed = true;
        options.logger.error({ err: error, step: step.name }, 'shutdown step failed');
      }
    }
    return failed ? 1 : 0;
  }

  function shutdown(reason: string): Promise<void> {
    if (running) {
      options.logger.info({ reason }, 'shutdown already in progress');
      return running;
    }
    options.logger.info({ reason, timeoutMs: options.timeoutMs }, 'shutting down');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        options.logger.fatal({ timeoutMs: options.timeoutMs }, 'shutdown deadline passed, exiting');
        resolve(1);
      }, options.timeoutMs);
      timer.unref();
    });
    running = Promise.race([runSteps(), deadline]).then((code) => {
      clearTimeout(timer);
      options.exit(code);
    });
    return running;
  }

  return {
    isShuttingDown: () => running !== undefined,
    register: (step) => {
      steps.push(step);
    },
    shutdown,
    listen: (signals = ['SIGTERM', 'SIGINT']) => {
      const handlers = signals.map((signal) => {
        const handler = () => void shutdown(signal);
        process.on(signal, handler);
        return [signal, handler] as const;
      });
      return () => {
        for (const [signal, handler] of handlers) process.off(signal, handler);
      };
    },
  };
}
