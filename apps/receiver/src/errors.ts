/**
 * The receiver's error vocabulary. Each HTTP-facing class carries the status
 * the error middleware answers with and a short reason that is safe to show
 * to anyone on the internet (never a secret, never message content).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = new.target.name;
  }
}

/** Malformed request: bad body, bad parameter value. */
export class BadRequestError extends HttpError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(400, reason, options);
  }
}

/** Missing or wrong signature parameters: the caller is not WeChat. */
export class UnauthorizedError extends HttpError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(401, reason, options);
  }
}

export class NotFoundError extends HttpError {
  constructor(reason: string) {
    super(404, reason);
  }
}

/** A body over RECEIVER_BODY_LIMIT_BYTES. */
export class PayloadTooLargeError extends HttpError {
  constructor() {
    super(413, 'body too large');
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(reason: string) {
    super(415, reason);
  }
}

/** Neither Redis nor the local spool could take the callback: WeChat should retry. */
export class IntakeUnavailableError extends HttpError {
  constructor(options?: { cause?: unknown }) {
    super(503, 'temporarily unable to store the callback', options);
  }
}

/** The local spool could not append or fsync. */
export class SpoolWriteError extends Error {
  override readonly name = 'SpoolWriteError';
}

/** Redis did not take a batch in time, or is known to be unreachable. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}

/** Redis took a batch, but fewer replicas than RECEIVER_REPLICA_ACKS confirmed it in time. */
export class ReplicationShortError extends Error {
  override readonly name = 'ReplicationShortError';
}
