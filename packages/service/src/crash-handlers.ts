import type { Logger } from '@wxcs/logger';

/**
 * State after an uncaught exception is unknown, so the process logs and
 * exits; the supervisor restarts it and BullMQ hands its jobs to another
 * worker through stalled-job recovery.
 */
export function installCrashHandlers(logger: Logger, exit: (code: number) => void): void {
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled rejection');
    exit(1);
  });
}
