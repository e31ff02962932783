import { z } from 'zod';
import { inboundCallbackSchema } from './payloads.js';

/** What went wrong, the same for every origin queue. */
const failure = {
  /** Short human-readable reason shown to operators. */
  reason: z.string(),
  /** Stable machine code, e.g. `bad_padding`, `unknown_app`, `retries_exhausted`. */
  code: z.string(),
  /** `permanent` skipped retries; `exhausted` used them all. */
  kind: z.enum(['permanent', 'exhausted']),
  errorName: z.string(),
  attemptsMade: z.number().int().nonnegative(),
  /** The origin job's id; the dead letter's id is derived from it. */
  sourceJobId: z.string(),
  firstAttemptAt: z.iso.datetime().nullable(),
  failedAt: z.iso.datetime(),
};

/**
 * A job some worker gave up on, from any queue of the catalog. The payload is
 * the job's data as it was, unvalidated (a payload that did not match its
 * queue's schema is a reason to dead-letter it); replay validates it against
 * the origin queue's schema before putting it back.
 */
export const deadLetterSchema = z.object({
  v: z.literal(2),
  /** Name of the queue the job came from and returns to on replay. */
  origin: z.string().min(1),
  payload: z.unknown(),
  ...failure,
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

/**
 * Dead letters were first written for the inbound queue only, with the
 * callback in `callback`. Ones still in Redis read as the origin-and-payload
 * shape, so an upgrade loses none of them.
 */
export const LEGACY_DEAD_LETTER_ORIGIN = 'wechat-inbound';

const legacyDeadLetterSchema = z
  .object({ v: z.literal(1), callback: inboundCallbackSchema, ...failure })
  .transform(({ v: _v, callback, ...rest }): DeadLetter => ({ v: 2, origin: LEGACY_DEAD_LETTER_ORIGIN, payload: callback, ...rest }));

/** A dead letter as stored, in either shape. */
export const storedDeadLetterSchema = z.union([deadLetterSchema, legacyDeadLetterSchema]);
