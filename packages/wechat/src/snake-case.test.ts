import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toSnakeCase } from './snake-case.js';

// The two-regex definition the one-pass version replaces; as a reference it
// is fine on the short keys generated here.
function referenceSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

describe('toSnakeCase', () => {
  it.each([
    ['HTTPSProxyURL2Go', 'https_proxy_url2_go'],
    ['already_snake', 'already_snake'],
    ['', ''],
  ])('%s -> %s', (input, output) => {
    expect(toSnakeCase(input)).toBe(output);
  });

  it('agrees with the regex definition on any mix of cases, digits and separators', () => {
    const key = fc.string({ unit: fc.constantFrom(...'aAbBzZ09_-.é'.split('')), maxLength: 24 });
    fc.assert(
      fc.property(key, (name) => {
        expect(toSnakeCase(name)).toBe(referenceSnakeCase(name));
      }),
      { numRuns: 2_000 },
    );
  });
});
