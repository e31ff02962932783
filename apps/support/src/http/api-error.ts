/**
 * An answer the API gives on purpose: a status and a JSON body whose `error`
 * is a stable code clients can switch on. Everything else that reaches the
 * error handler is a bug or an outage, answered 500 without details.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly body: { readonly error: string } & Readonly<Record<string, unknown>>;

  constructor(status: number, error: string, details: Readonly<Record<string, unknown>> = {}) {
    super(`${status} ${error}`);
    this.status = status;
    this.body = { error, ...details };
  }
}

export const notFound = (error: string) => new ApiError(404, error);

/** A request field that fails validation: `field` is its path, e.g. `text.content`, or `limit` for a query parameter. */
export const invalidField = (error: string, field: string, message: string, extra: Readonly<Record<string, unknown>> = {}) =>
  new ApiError(400, error, { field, message, ...extra });
