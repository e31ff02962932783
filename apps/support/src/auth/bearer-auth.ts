import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

export interface ApiToken {
  readonly name: string;
  readonly token: string;
}

// Hashing first gives every comparison the same length, so timingSafeEqual
// neither throws nor tells the length of a configured token.
function digest(value: string): Buffer {
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

/** The authenticated caller's token name, set by requireBearerToken. */
export function callerOf(res: Response): string {
  const caller: unknown = res.locals.caller;
  if (typeof caller !== 'string') throw new Error('callerOf outside requireBearerToken');
  return caller;
}

export interface BearerAuthOptions {
  readonly tokens: readonly ApiToken[];
  /** Called for every refused request that carried a token. Gets no token: a wrong one may be a right one mistyped. */
  readonly onRejected?: (attempt: { ip: string | undefined }) => void;
}

/**
 * Bearer tokens in front of everything mounted after it. The caller's token
 * name goes to `res.locals.caller` (recorded as a reply's sentBy). A refusal
 * is 401 with `WWW-Authenticate: Bearer` and never repeats what was sent.
 */
export function requireBearerToken(options: BearerAuthOptions): RequestHandler {
  const hashed = options.tokens.map(({ name, token }) => ({ name, hash: digest(token) }));
  return (req, res, next) => {
    const given = parseBearer(req.headers.authorization);
    const caller = given === undefined ? undefined : matchToken(given, hashed);
    if (caller !== undefined) {
      res.locals.caller = caller;
      next();
      return;
    }
    if (given !== undefined) options.onRejected?.({ ip: req.ip });
    const challenge = given === undefined ? 'Bearer realm="wxcs-support"' : 'Bearer realm="wxcs-support", error="invalid_token"';
    res.set('WWW-Authenticate', challenge).set('Cache-Control', 'no-store').status(401).json({ error: 'unauthorized' });
  };
}
