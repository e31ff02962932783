import { DEVELOPMENT_APP, DEVELOPMENT_SUPPORT_TOKEN } from './development-app.js';

/**
 * Secrets that have appeared in this repository (the development app and
 * the example environment file). Anyone can read them, so a production
 * deployment that still uses one can be forged or logged into by anyone.
 * A repository test keeps this list in step with `.env.example`.
 */
const PUBLISHED = new Set<string>([
  DEVELOPMENT_APP.token,
  DEVELOPMENT_APP.encodingAesKey,
  DEVELOPMENT_APP.appId,
  ...(DEVELOPMENT_APP.appSecret === undefined ? [] : [DEVELOPMENT_APP.appSecret]),
  DEVELOPMENT_SUPPORT_TOKEN.token,
  // The development dashboard login.
  'admin',
  // Earlier values of .env.example.
  'change-me-please-now',
  'wxcs-local-only',
]);

export function isPublishedCredential(value: string): boolean {
  return PUBLISHED.has(value);
}

/** The password inside a connection URL, if it has one. */
export function urlPassword(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}

export const PUBLISHED_PROBLEM = 'is a value published in this repository; production needs your own secret';
