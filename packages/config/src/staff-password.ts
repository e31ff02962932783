import { PUBLISHED_PROBLEM, isPublishedCredential } from './published-credentials.js';

/** The account `npm run demo` creates; published here, so production refuses its password. */
export const DEVELOPMENT_STAFF = { name: 'demo', password: 'wxcs-demo-password' } as const;

/** Staff names: what a reply's sent_by records after `staff:`, and what a person types to sign in. */
export const STAFF_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,31}$/;

const MIN_LENGTH = 8;
const MIN_PRODUCTION_LENGTH = 12;

/**
 * Why a staff password is not accepted, or an empty list. Production needs
 * 12 characters and refuses the name itself and every password published in
 * this repository; development accepts 8, so the demo account works.
 */
export function staffPasswordProblems(name: string, password: string, production: boolean): string[] {
  const problems: string[] = [];
  const min = production ? MIN_PRODUCTION_LENGTH : MIN_LENGTH;
  if (Array.from(password).length < min) problems.push(`password: must be at least ${min} characters${production ? ' in production' : ''}`);
  if (Array.from(password).length > 256) problems.push('password: must be at most 256 characters');
  if (production && password.toLowerCase().includes(name.toLowerCase())) problems.push('password: must not contain the name');
  if (production && (isPublishedCredential(password) || password === DEVELOPMENT_STAFF.password)) problems.push(`password: ${PUBLISHED_PROBLEM}`);
  return problems;
}
