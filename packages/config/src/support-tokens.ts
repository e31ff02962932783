import { z } from 'zod';
import { DEVELOPMENT_SUPPORT_TOKEN } from './development-app.js';
import { PUBLISHED_PROBLEM, isPublishedCredential } from './published-credentials.js';

/** One integration allowed to call the support API; `name` is recorded on every reply it sends. */
export interface SupportApiToken {
  readonly name: string;
  readonly token: string;
}

/** Long enough that guessing is hopeless: 24 random characters are over 128 bits. */
const MIN_PRODUCTION_TOKEN_LENGTH = 24;

const tokenSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/, { message: 'must be 1-63 letters, digits, space . _ -' }),
  // Printable ASCII without spaces: what an Authorization header carries unchanged.
  token: z.string().regex(/^[\x21-\x7e]{8,256}$/, { message: 'must be 8-256 printable characters without spaces' }),
});

/**
 * SUPPORT_API_TOKENS: a JSON array of `{"name","token"}`. Unset outside
 * production, the development token works; production requires the list,
 * refuses short and published tokens, and names each problem by its place.
 */
export function parseSupportTokens(raw: string | undefined, production: boolean): { tokens: SupportApiToken[]; problems: string[] } {
  if (raw === undefined) {
    return production
      ? { tokens: [], problems: ['SUPPORT_API_TOKENS: is required in production'] }
      : { tokens: [DEVELOPMENT_SUPPORT_TOKEN], problems: [] };
  }
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    list = undefined;
  }
  const result = z.array(tokenSchema).min(1, { message: 'must list at least one token' }).safeParse(list);
  if (!result.success) {
    if (!Array.isArray(list)) return { tokens: [], problems: ['SUPPORT_API_TOKENS: must be a JSON array of {"name","token"}'] };
    return {
      tokens: [],
      problems: result.error.issues.map((issue) => `SUPPORT_API_TOKENS${issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')}: ${issue.message}`),
    };
  }
  const problems: string[] = [];
  const seen = { names: new Set<string>(), tokens: new Set<string>() };
  result.data.forEach((entry, index) => {
    if (seen.names.has(entry.name)) problems.push(`SUPPORT_API_TOKENS[${index}].name: duplicate name`);
    if (seen.tokens.has(entry.token)) problems.push(`SUPPORT_API_TOKENS[${index}].token: duplicate token`);
    seen.names.add(entry.name);
    seen.tokens.add(entry.token);
    if (!production) return;
    if (entry.token.length < MIN_PRODUCTION_TOKEN_LENGTH) {
      problems.push(`SUPPORT_API_TOKENS[${index}].token: must be at least ${MIN_PRODUCTION_TOKEN_LENGTH} characters in production`);
    } else if (isPublishedCredential(entry.token)) {
      problems.push(`SUPPORT_API_TOKENS[${index}].token: ${PUBLISHED_PROBLEM}`);
    }
  });
  return { tokens: result.data, problems };
}
