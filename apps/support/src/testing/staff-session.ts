import type { PrismaClient } from '@wxcs/db';
import { saveStaffAccount } from '../staff/accounts.js';

export interface SignedInStaff {
  readonly name: string;
  readonly password: string;
  /** `Cookie:` header value carrying the session. */
  readonly cookie: string;
  readonly csrfToken: string;
}

/** Adds a staff account and signs it in over HTTP as a page of the inbox would. */
export async function signInStaff(prisma: PrismaClient, origin: string, name: string, password = `${name} long test passphrase`): Promise<SignedInStaff> {
  await saveStaffAccount(prisma, { name, password, now: new Date() });
  const res = await fetch(`${origin}/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ name, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { name, password, cookie: setCookie.split(';')[0] ?? '', csrfToken };
}
