import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { scrub, scrubString } from './scrub.js';

export type { DestinationStream, Logger } from 'pino';

export interface CreateLoggerOptions {
  /** Service name, written as `service` on every line. */
  readonly name: string;
  readonly level: LoggerOptions['level'];
  /** Defaults to stdout; tests pass a stream to read what was logged. */
  readonly destination?: DestinationStream;
}

/**
 * JSON logs with secrets removed by key and credentials removed from URLs,
 * in the structured fields and in the message text alike.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const loggerOptions: LoggerOptions = {
    level: options.level,
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => scrub(object) as Record<string, unknown>,
    },
    // Errors are serialised by `scrub` itself so their messages are cleaned too.
    serializers: { err: (error: unknown) => scrub(error), error: (error: unknown) => scrub(error) },
    hooks: {
      logMethod(args, method) {
        // `args` is this call's own array: cleaned in place.
        for (let i = 0; i < args.length; i += 1) {
          const arg: unknown = args[i];
          if (typeof arg === 'string') args[i] = scrubString(arg);
        }
        method.apply(this, args);
      },
    },
  };
  return options.destination === undefined ? pino(loggerOptions) : pino(loggerOptions, options.destination);
}
