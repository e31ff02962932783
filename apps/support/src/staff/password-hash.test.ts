import { describe, expect, it } from 'vitest';
import { UNKNOWN_USER_HASH, hashPassword, verifyPassword } from './password-hash.js';

describe('scrypt password hashes', () => {
  it('verifies the password it was made from, and no other', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(stored).not.toBe(await hashPassword('correct horse battery'));
  });

  it('matches nothing against the unknown-user hash or a malformed one', async () => {
    expect(await verifyPassword('', UNKNOWN_USER_HASH)).toBe(false);
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
  });
});
