import { pino, type DestinationStream } from 'pino';

export interface BufferedDestinationOptions {
  /** File descriptor to write to (1: stdout). */
  readonly fd: number;
  /** Bytes gathered before a write: one system call per batch of lines instead of one per line. */
  readonly minLength: number;
  /** The longest a line may wait in the buffer, so a quiet process still shows its logs. */
  readonly maxDelayMs: number;
}

/**
 * An asynchronous, buffered log destination that also writes out whatever it
 * holds every `maxDelayMs`. pino flushes it synchronously when the process
 * exits, the crash handlers' exit included.
 */
export function createBufferedDestination(options: BufferedDestinationOptions): DestinationStream {
  const destination = pino.destination({ dest: options.fd, sync: false, minLength: options.minLength });
  // sonic-boom sets `destroyed` but does not declare it; flush() throws once it is set.
  const destroyed = () => (destination as unknown as { destroyed: boolean }).destroyed;
  const timer = setInterval(() => {
    if (!destroyed()) destination.flush();
  }, options.maxDelayMs);
  timer.unref();
  destination.on('close', () => clearInterval(timer));
  return destination;
}
