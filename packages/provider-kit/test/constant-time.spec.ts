import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, jest, test } from '@jest/globals';

/**
 * Timing cannot be measured reliably in a test, so the constant-time promise is checked by its
 * structure: every comparison goes through `crypto.timingSafeEqual`, on two digests of the same
 * length whatever the inputs' lengths, and its answer is the answer. A `===` (or an early length
 * check) in `Secret.matches` or `constantTimeEqual` fails these tests.
 */
const comparisons: Array<{ a: Buffer; b: Buffer; equal: boolean }> = [];

jest.unstable_mockModule('node:crypto', () => ({
  ...crypto,
  timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
    const equal = crypto.timingSafeEqual(a, b);
    comparisons.push({ a: Buffer.from(a.buffer, a.byteOffset, a.byteLength), b: Buffer.from(b.buffer, b.byteOffset, b.byteLength), equal });
    return equal;
  },
}));

const { constantTimeEqual, Secret } = await import('../src/index.js');

const sha256 = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest();

describe('constant-time comparison, structurally', () => {
  beforeEach(() => {
    comparisons.length = 0;
  });

  test.each([
    ['equal values', 's3cr3t-value', 's3cr3t-value'],
    ['one differing character', 's3cr3t-value', 's3cr3t-valuE'],
    ['a longer candidate', 's3cr3t-value', 's3cr3t-value-and-more'],
    ['a shorter candidate', 's3cr3t-value', 's3'],
    ['an empty candidate', 's3cr3t-value', ''],
    ['non-ASCII', 'clé-ünïcode', 'clé-ünïcode'],
  ])('Secret.matches compares SHA-256 digests with timingSafeEqual: %s', (_case, value, candidate) => {
    const secret = new Secret(value);
    comparisons.length = 0; // constructing hashes the secret; only the comparison matters here
    const matched = secret.matches(candidate);
    expect(comparisons).toHaveLength(1);
    const [{ a, b, equal }] = comparisons as [(typeof comparisons)[number]];
    expect([a.length, b.length]).toEqual([32, 32]);
    expect([a, b]).toEqual([sha256(value), sha256(candidate)]);
    expect(matched).toBe(equal);
    expect(matched).toBe(value === candidate);
  });

  test.each([
    ['equal values', 'token-1', 'token-1'],
    ['different values of different lengths', 'token-1', 'token-12345'],
    ['an empty expected value', '', 'x'],
  ])('constantTimeEqual compares SHA-256 digests with timingSafeEqual: %s', (_case, expected, candidate) => {
    const result = constantTimeEqual(expected, candidate);
    expect(comparisons).toHaveLength(1);
    const [{ a, b, equal }] = comparisons as [(typeof comparisons)[number]];
    expect([a, b]).toEqual([sha256(expected), sha256(candidate)]);
    expect(result).toBe(equal);
    expect(result).toBe(expected === candidate);
  });

  test('a missing candidate never matches and is not compared', () => {
    const secret = new Secret('s3cr3t-value');
    comparisons.length = 0;
    expect(secret.matches(undefined)).toBe(false);
    expect(secret.matches(null)).toBe(false);
    expect(comparisons).toHaveLength(0);
  });
});
