import type { InboundCallback } from '@wxcs/queue';

/** A batch job's bodies stay under this, so one job never holds hundreds of large callbacks. */
export const MAX_BATCH_BODY_CHARS = 1024 * 1024;

/** Consecutive runs of callbacks whose bodies add up to at most MAX_BATCH_BODY_CHARS (a larger body goes alone). */
export function splitByBodySize(callbacks: readonly InboundCallback[]): InboundCallback[][] {
  const batches: InboundCallback[][] = [];
  let batch: InboundCallback[] = [];
  let chars = 0;
  for (const callback of callbacks) {
    if (batch.length > 0 && chars + callback.body.length > MAX_BATCH_BODY_CHARS) {
      batches.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(callback);
    chars += callback.body.length;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
