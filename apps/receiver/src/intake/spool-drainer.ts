import type { Logger } from '@wxcs/logger';
import type { InboundCallback } from '@wxcs/queue';
import { QueueUnavailableError, ReplicationShortError } from '../errors.js';
import { TIMED_OUT, raceTimeout } from '@wxcs/service';
import type { Spool, SpoolSegment } from './spool.js';

export interface DrainTarget {
  readonly addAll: (callbacks: readonly InboundCallback[]) => Promise<void>;
  readonly isConnected: () => boolean;
}

export interface SpoolDrainerOptions {
  readonly spool: Spool;
  readonly queue: DrainTarget;
  readonly logger: Logger;
  readonly batchSize: number;
  /** How often to look at the spool; a drain also starts right away on `start()`. */
  readonly intervalMs: number;
  /** Bound on one addAll during a drain; on expiry the drain stops and retries later. */
  readonly timeoutMs: number;
  readonly onDrained?: (count: number) => void;
}

export interface SpoolDrainer {
  readonly start: () => void;
  /** Drains every sealed segment now (joins a drain already running); resolves with the count moved. */
  readonly drainNow: () => Promise<number>;
  /** Stops the timer and waits for a running drain to reach a safe point. */
  readonly stop: () => Promise<void>;
}

// Every Nth idle tick with callbacks waiting, the depth is logged again.
const WAITING_LOG_EVERY = 30;

/**
 * Moves spooled callbacks into the queue, segment by segment and in order,
 * deleting a segment only after all of its callbacks are in Redis. A drain
 * cut short (Redis gone again, crash, shutdown) is simply repeated: the
 * callbacks keep their callback id as job id, so re-adding them is a no-op.
 */
export function createSpoolDrainer(options: SpoolDrainerOptions): SpoolDrainer {
  const { spool, queue, logger } = options;
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let idleTicks = 0;
  let unreplicatedTicks = 0;

  async function addInChunks(callbacks: readonly InboundCallback[]): Promise<void> {
    for (let start = 0; start < callbacks.length && !stopped; start += options.batchSize) {
      const chunk = callbacks.slice(start, start + options.batchSize);
      if ((await raceTimeout(queue.addAll(chunk), options.timeoutMs)) === TIMED_OUT) {
        throw new QueueUnavailableError(`addAll took longer than ${options.timeoutMs} ms`);
      }
    }
  }

  async function drainSegment(segment: SpoolSegment): Promise<number> {
    const contents = await spool.readSegment(segment);
    await addInChunks(contents.callbacks);
    if (stopped) return 0;
    if (contents.tornTail) logger.warn({ segment: segment.name }, 'spool segment ends in a torn write (never acknowledged)');
    if (contents.invalidLines > 0) {
      const kept = await spool.quarantineSegment(segment);
      logger.error({ segment: kept, invalidLines: contents.invalidLines }, 'spool segment had unreadable lines, kept for an operator');
    } else {
      await spool.removeSegment(segment);
    }
    options.onDrained?.(contents.callbacks.length);
    logger.info({ segment: segment.name, callbacks: contents.callbacks.length, depth: spool.depth() }, 'spool segment drained');
    return contents.callbacks.length;
  }

  async function drainAll(): Promise<number> {
    let moved = 0;
    for (const segment of await spool.sealedSegments()) {
      if (stopped) break;
      moved += await drainSegment(segment);
    }
    return moved;
  }

  function drainNow(): Promise<number> {
    running ??= drainAll().finally(() => {
      running = undefined;
    });
    return running;
  }

  function tick(): void {
    if (running || spool.depth() === 0) return;
    if (!queue.isConnected()) {
      if (idleTicks++ % WAITING_LOG_EVERY === 0) logger.warn({ depth: spool.depth() }, 'spooled callbacks waiting for redis');
      return;
    }
    idleTicks = 0;
    drainNow().then(
      () => {
        unreplicatedTicks = 0;
      },
      (error: unknown) => {
        // A replica that is down fails every drain until it is back: say so now and then, not every tick.
        if (error instanceof ReplicationShortError) {
          if (unreplicatedTicks++ % WAITING_LOG_EVERY === 0) logger.warn({ err: error, depth: spool.depth() }, 'spooled callbacks waiting for replicas');
          return;
        }
        logger.warn({ err: error, depth: spool.depth() }, 'spool drain interrupted, will retry');
      },
    );
  }

  return {
    start: () => {
      stopped = false;
      timer ??= setInterval(tick, options.intervalMs);
      timer.unref();
      tick();
    },
    drainNow,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
