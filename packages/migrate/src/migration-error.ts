/**
 * A migration could not be applied or computed. `code` is Prisma's error code
 * when the schema engine gave one (e.g. P3009: a failed migration blocks new
 * ones until it is resolved), so operators can follow Prisma's runbooks.
 */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  readonly code: string | undefined;

  constructor(message: string, options: { cause?: unknown; code?: string | undefined } = {}) {
    super(message, { cause: options.cause });
    this.code = options.code;
  }
}
