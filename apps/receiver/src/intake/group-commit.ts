interface Waiting<T> {
  readonly items: readonly T[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: while one write is in progress, later batches wait and then
 * go out together in the next write, so a burst of spooled batches costs one
 * fsync per write instead of one per batch. Each caller resolves when the
 * write holding its items is durable, or rejects with that write's error.
 */
export function createGroupCommit<T>(write: (items: readonly T[]) => Promise<void>): (items: readonly T[]) => Promise<void> {
  let waiting: Waiting<T>[] = [];
  let running = false;

  async function run(): Promise<void> {
    running = true;
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        await write(group.flatMap((entry) => entry.items));
        for (const entry of group) entry.resolve();
      } catch (error) {
        for (const entry of group) entry.reject(error);
      }
    }
    running = false;
  }

  return (items) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ items, resolve, reject });
      if (!running) void run();
    });
}
