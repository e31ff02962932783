import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_STAFF, STAFF_NAME_PATTERN, staffPasswordProblems } from './staff-password.js';

describe('staffPasswordProblems', () => {
  it('accepts the demo password outside production and refuses it in production', () => {
    expect(staffPasswordProblems(DEVELOPMENT_STAFF.name, DEVELOPMENT_STAFF.password, false)).toEqual([]);
    expect(staffPasswordProblems('li', DEVELOPMENT_STAFF.password, true)).toEqual([
      'password: is a value published in this repository; production needs your own secret',
    ]);
  });

  it('refuses short passwords, longer ones in production, and the name inside the password', () => {
    expect(staffPasswordProblems('li', 'short', false)).toEqual(['password: must be at least 8 characters']);
    expect(staffPasswordProblems('li', 'elevenchars', true)).toEqual(['password: must be at least 12 characters in production']);
    expect(staffPasswordProblems('wang.fang', 'my-Wang.Fang-2026', true)).toEqual(['password: must not contain the name']);
    expect(staffPasswordProblems('wang.fang', 'correct horse battery', true)).toEqual([]);
  });

  it('names are lower-case letters, digits, . _ - and never the colon that separates staff: in sent_by', () => {
    expect(STAFF_NAME_PATTERN.test('wang.fang')).toBe(true);
    expect(STAFF_NAME_PATTERN.test('staff:x')).toBe(false);
    expect(STAFF_NAME_PATTERN.test('Admin')).toBe(false);
  });
});
