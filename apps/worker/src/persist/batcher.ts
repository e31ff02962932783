/**
 * Groups items submitted by concurrent jobs into one call of `run`, so N jobs
 * cost one database round trip instead of N. A batch goes out when it holds
 * `maxSize` items or `maxWaitMs` after its first item, whichever comes first.
 * Each submitter gets its own result; if `run` fails, every submitter of that
 * batch gets the error (its job then retries on its own).
 */
export interface Batcher<I, O> {
  readonly submit: (item: I) => Promise<O>;
  /** Sends whatever is pending now and waits for every batch in flight. */
  readonly flush: () => Promise<void>;
  /** Sends what is pending, and from now on every item as it comes (shutdown: nothing more will join them). */
  readonly sendWithoutWaiting: () => void;
}

export interface BatcherOptions<I, O> {
  readonly maxSize: number;
  readonly maxWaitMs: number;
  /** Must return exactly one result per item, in input order. */
  readonly run: (items: readonly I[]) => Promise<readonly O[]>;
}

interface Pending<I, O> {
  readonly item: I;
  readonly resolve: (value: O) => void;
  readonly reject: (error: unknown) => void;
}

export class BatchResultMismatchError extends Error {
  override readonly name = 'BatchResultMismatchError';
  constructor(expected: number, actual: number) {
    super(`batch returned ${actual} results for ${expected} items`);
  }
}

export function createBatcher<I, O>(options: BatcherOptions<I, O>): Batcher<I, O> {
  if (options.maxSize < 1) throw new RangeError('maxSize must be at least 1');
  let pending: Pending<I, O>[] = [];
  let timer: NodeJS.Timeout | undefined;
  let immediate = false;
  const inFlight = new Set<Promise<void>>();

  async function runBatch(batch: Pending<I, O>[]): Promise<void> {
    try {
      const results = await options.run(batch.map((entry) => entry.item));
      if (results.length !== batch.length) throw new BatchResultMismatchError(batch.length, results.length);
      batch.forEach((entry, index) => entry.resolve(results[index] as O));
    } catch (error) {
      batch.forEach((entry) => entry.reject(error));
    }
  }

  function sendPending(): void {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const sent = runBatch(batch);
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent));
  }

  function submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= options.maxSize || immediate) sendPending();
      else if (timer === undefined) timer = setTimeout(sendPending, options.maxWaitMs);
    });
  }

  async function flush(): Promise<void> {
    sendPending();
    await Promise.all([...inFlight]);
  }

  return {
    submit,
    flush,
    sendWithoutWaiting: () => {
      immediate = true;
      sendPending();
    },
  };
}
