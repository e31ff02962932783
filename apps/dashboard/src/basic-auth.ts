import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

export interface BasicAuthOptions {
  readonly credentials: Credentials;
  readonly realm: string;
  /**
   * Called for every refused request that carried credentials. Gets neither
   * field: operators sometimes type the password into the user name box.
   */
  readonly onRejected?: (attempt: { ip: string | undefined }) => void;
}

// Hashing first gives both sides the same length, so timingSafeEqual neither
// throws nor leaks the length of the configured secret.
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function sameSecret(given: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(given), expected);
}

/** Parses `Authorization: Basic base64(user:password)`; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): Credentials | undefined {
  const match = /^Basic[ \t]+([A-Za-z0-9+/=._~-]+)[ \t]*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * HTTP basic auth in front of everything mounted after it. Both fields are
 * always compared, so the response time does not tell a wrong user name apart
 * from a wrong password.
 */
export function requireBasicAuth(options: BasicAuthOptions): RequestHandler {
  const expectedUser = digest(options.credentials.user);
  const expectedPassword = digest(options.credentials.password);
  const challenge = `Basic realm="${options.realm.replace(/["\\]/g, '')}", charset="UTF-8"`;
  return (req, res, next) => {
    const given = parseBasicAuth(req.headers.authorization);
    if (given) {
      const userOk = sameSecret(given.user, expectedUser);
      const passwordOk = sameSecret(given.password, expectedPassword);
      if (userOk && passwordOk) {
        res.locals.operator = given.user;
        next();
        return;
      }
      options.onRejected?.({ ip: req.ip });
    }
    res.set('WWW-Authenticate', challenge).set('Cache-Control', 'no-store').status(401).type('text/plain').send('Authentication required\n');
  };
}
