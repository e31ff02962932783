import type { Redis } from '@wxcs/queue';

/**
 * Runs `work` with the connection's socket corked until the next turn of
 * the event loop, so the Redis commands it triggers, directly or in the
 * promise reactions it starts, leave in one write instead of one system call
 * each. A settled batch completes all of its jobs at once, and each
 * completion is a BullMQ command on this connection (docs/benchmarks.md).
 * Ordering and replies are unchanged: only the bytes are sent together.
 */
export function coalesceRedisWrites(redis: Redis): (work: () => void) => void {
  return (work) => {
    const socket = redis.stream as Redis['stream'] | undefined;
    if (socket === undefined || !socket.writable) {
      work();
      return;
    }
    socket.cork();
    try {
      work();
    } finally {
      setImmediate(() => socket.uncork());
    }
  };
}
