import { STAFF_NAME_PATTERN, staffPasswordProblems } from '@wxcs/config';
import type { PrismaClient } from '@wxcs/db';
import { listStaffAccounts, removeStaffAccount, saveStaffAccount } from '../staff/accounts.js';

export const USAGE = `Usage: npm run support-users -- <command>

  add NAME      add a staff account, or set a new password for it (read from standard input)
  remove NAME   remove the account and end its sessions
  list          list the accounts

NAME: 1-32 of a-z 0-9 . _ - (replies record it as staff:NAME).
Example: printf '%s' 'a long passphrase' | npm run support-users -- add wang.fang
`;

export interface SupportUsersDeps {
  readonly prisma: PrismaClient;
  readonly production: boolean;
  /** The password, read only for `add` (standard input). */
  readonly readPassword: () => Promise<string>;
  readonly write: (text: string) => void;
  readonly now: () => Date;
}

/** Runs one command; answers the exit code (2: usage, 1: refused). Never prints a password. */
export async function runSupportUsers(argv: readonly string[], deps: SupportUsersDeps): Promise<number> {
  const [command, name, ...rest] = argv;
  if (command === 'list' && name === undefined) {
    const accounts = await listStaffAccounts(deps.prisma);
    if (accounts.length === 0) deps.write('no staff accounts\n');
    for (const account of accounts) {
      const locked = account.lockedUntil !== null && account.lockedUntil > deps.now() ? `  locked until ${account.lockedUntil.toISOString()}` : '';
      deps.write(`${account.name}  added ${account.createdAt.toISOString()}${locked}\n`);
    }
    return 0;
  }
  if ((command !== 'add' && command !== 'remove') || name === undefined || rest.length > 0) {
    deps.write(USAGE);
    return 2;
  }
  if (!STAFF_NAME_PATTERN.test(name)) {
    deps.write(`name: must be 1-32 of a-z 0-9 . _ - and start with a letter or digit\n`);
    return 2;
  }
  if (command === 'remove') {
    const removed = await removeStaffAccount(deps.prisma, name);
    deps.write(removed ? `removed ${name}\n` : `no account ${name}\n`);
    return removed ? 0 : 1;
  }
  const password = await deps.readPassword();
  const problems = staffPasswordProblems(name, password, deps.production);
  if (problems.length > 0) {
    deps.write(`${problems.join('\n')}\n`);
    return 1;
  }
  const { created } = await saveStaffAccount(deps.prisma, { name, password, now: deps.now() });
  deps.write(created ? `added ${name}\n` : `new password for ${name}; its sessions are ended\n`);
  return 0;
}
