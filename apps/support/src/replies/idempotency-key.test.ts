import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error.js';
import { canonicalJson, idempotencyKeyOf } from './idempotency-key.js';

describe('idempotencyKeyOf', () => {
  it('takes 1-128 printable characters, and nothing when absent', () => {
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
    expect(idempotencyKeyOf('a')).toBe('a');
    expect(idempotencyKeyOf('9b2f6a1e-4c1d-4e8a-9f00-0c5b7d3e2a11')).toBe('9b2f6a1e-4c1d-4e8a-9f00-0c5b7d3e2a11');
    expect(idempotencyKeyOf('k'.repeat(128))).toHaveLength(128);
  });

  it.each([[''], ['k'.repeat(129)], ['has space'], ['tab\there'], ['ключ'], [['a', 'b']]])('refuses %j', (header) => {
    try {
      idempotencyKeyOf(header);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).body).toMatchObject({ error: 'invalid_idempotency_key', field: 'Idempotency-Key' });
    }
  });
});

describe('canonicalJson', () => {
  it('is the same for the same value whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'x' } })).toBe(canonicalJson({ a: { c: 'x', d: [1, { x: 1, y: 2 }] }, b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });
});
