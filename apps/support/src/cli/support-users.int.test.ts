import { databaseTest } from '@wxcs/db/testing';
import { DEVELOPMENT_STAFF } from '@wxcs/config';
import { describe, expect } from 'vitest';
import { createSessionStore } from '../staff/sessions.js';
import { signIn } from '../staff/sign-in.js';
import { runSupportUsers } from './support-users-command.js';

const test = databaseTest('support-users');

function run(prisma: Parameters<typeof runSupportUsers>[1]['prisma'], argv: string[], options: { password?: string; production?: boolean } = {}) {
  let out = '';
  const code = runSupportUsers(argv, {
    prisma,
    production: options.production ?? false,
    readPassword: () => Promise.resolve(options.password ?? ''),
    write: (text) => {
      out += text;
    },
    now: () => new Date(),
  });
  return code.then((exit) => ({ exit, out }));
}

describe('npm run support-users', () => {
  test('adds, lists, signs in, changes the password (ending sessions) and removes', async ({ db }) => {
    expect(await run(db.prisma, ['add', 'wang.fang'], { password: 'correct horse battery' })).toEqual({ exit: 0, out: 'added wang.fang\n' });
    expect((await run(db.prisma, ['list'])).out).toMatch(/^wang\.fang {2}added \d{4}-/);
    const signedIn = await signIn(db.prisma, { name: 'wang.fang', password: 'correct horse battery', now: new Date() });
    expect(signedIn.outcome).toBe('signed-in');
    if (signedIn.outcome !== 'signed-in') return;
    const sessions = createSessionStore({ prisma: db.prisma, idleMs: 60_000, now: () => new Date() });
    const { id } = await sessions.create(signedIn.userId);
    expect(await sessions.find(id)).toMatchObject({ name: 'wang.fang' });

    expect((await run(db.prisma, ['add', 'wang.fang'], { password: 'another long passphrase' })).out).toBe('new password for wang.fang; its sessions are ended\n');
    expect(await sessions.find(id)).toBeUndefined();
    expect((await signIn(db.prisma, { name: 'wang.fang', password: 'correct horse battery', now: new Date() })).outcome).toBe('refused');

    expect(await run(db.prisma, ['remove', 'wang.fang'])).toEqual({ exit: 0, out: 'removed wang.fang\n' });
    expect(await run(db.prisma, ['remove', 'wang.fang'])).toEqual({ exit: 1, out: 'no account wang.fang\n' });
    expect((await run(db.prisma, ['list'])).out).toBe('no staff accounts\n');
  });

  test('refuses weak and published passwords in production, bad names and bad usage, never echoing the password', async ({ db }) => {
    const weak = await run(db.prisma, ['add', 'li'], { password: DEVELOPMENT_STAFF.password, production: true });
    expect(weak.exit).toBe(1);
    expect(weak.out).toContain('published in this repository');
    expect(weak.out).not.toContain(DEVELOPMENT_STAFF.password);
    expect((await run(db.prisma, ['add', 'li'], { password: 'short' })).exit).toBe(1);
    expect((await run(db.prisma, ['add', 'Staff:Li'], { password: 'long enough pass' })).exit).toBe(2);
    expect((await run(db.prisma, ['delete', 'li'])).exit).toBe(2);
    expect((await run(db.prisma, ['list'])).out).toBe('no staff accounts\n');
  });

  test('locks an account after repeated wrong passwords, refusing even the right one meanwhile', async ({ db }) => {
    await run(db.prisma, ['add', 'zhao'], { password: 'the right passphrase' });
    const at = new Date();
    const outcomes = [];
    for (let attempt = 0; attempt < 6; attempt += 1) outcomes.push((await signIn(db.prisma, { name: 'zhao', password: `wrong ${attempt}`, now: at })).outcome);
    expect(outcomes).toEqual(['refused', 'refused', 'refused', 'refused', 'refused', 'locked']);
    expect((await signIn(db.prisma, { name: 'zhao', password: 'the right passphrase', now: at })).outcome).toBe('locked');
    expect((await signIn(db.prisma, { name: 'zhao', password: 'the right passphrase', now: new Date(at.getTime() + 31_000) })).outcome).toBe('signed-in');
    expect((await signIn(db.prisma, { name: 'nobody', password: 'anything at all', now: at })).outcome).toBe('refused');
  });
});
