import { createHash, timingSafeEqual } from 'node:crypto';
import type { Response } from 'express';

export interface ApiToken {
  readonly name: string;
  readonly token: string;
}

// Hashing first gives every comparison the same length, so timingSafeEqual
// neither throws nor tells the length of a configured token.
export function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * The name of the token `given` equals, or undefined. Every configured token
 * is compared, also after a match, so the time taken does not tell which
 * token (or how many) came before the one that matched.
 */
export function matchToken(given: string, tokens: readonly { readonly name: string; readonly hash: Buffer }[]): string | undefined {
  const hash = digest(given);
  let matched: string | undefined;
  for (const token of tokens) {
    if (timingSafeEqual(hash, token.hash) && matched === undefined) matched = token.name;
  }
  return matched;
}

/** `Authorization: Bearer <token>` (RFC 6750); undefined when absent or another scheme. */
export function parseBearer(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+([\x21-\x7e]+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

/** The authenticated caller's name (a token's, or `staff:<name>`), set by authenticate. */
export function callerOf(res: Response): string {
  const caller: unknown = res.locals.caller;
  if (typeof caller !== 'string') throw new Error('callerOf outside authenticate');
  return caller;
}
