import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { matchToken, parseBearer } from './bearer-auth.js';

const hashed = (name: string, token: string) => ({ name, hash: createHash('sha256').update(token).digest() });

describe('matchToken', () => {
  const tokens = [hashed('crm', 'crm-token-0123456789'), hashed('bot', 'bot-token-0123456789')];

  it('names the token that matches, whichever its place', () => {
    expect(matchToken('crm-token-0123456789', tokens)).toBe('crm');
    expect(matchToken('bot-token-0123456789', tokens)).toBe('bot');
  });

  it('matches nothing for a wrong, a longer, a shorter or an empty token', () => {
    for (const given of ['crm-token-012345678X', 'crm-token-0123456789x', 'crm-token-012345678', '', 'CRM-TOKEN-0123456789']) {
      expect(matchToken(given, tokens), given).toBeUndefined();
    }
  });

  it('compares every token even after a match', () => {
    let compared = 0;
    const counting = tokens.map((token) => ({
      name: token.name,
      get hash() {
        compared += 1;
        return token.hash;
      },
    }));
    expect(matchToken('crm-token-0123456789', counting)).toBe('crm');
    expect(compared).toBe(2);
  });
});

describe('parseBearer', () => {
  it('reads the token of a Bearer header, any case of the scheme', () => {
    expect(parseBearer('Bearer abc.DEF-123')).toBe('abc.DEF-123');
    expect(parseBearer('bearer   abc')).toBe('abc');
  });

  it('reads nothing from other schemes, spaces inside the token, or no header', () => {
    for (const header of [undefined, '', 'Basic YTpi', 'Bearer', 'Bearer ', 'Bearer a b', 'Token abc']) {
      expect(parseBearer(header), String(header)).toBeUndefined();
    }
  });
});
