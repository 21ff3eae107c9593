import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { isRetryableStatus, parseRetryAfterMs, retryDelayMs } from '../src/index.js';

describe('isRetryableStatus', () => {
  test.each([429, 502, 503, 504])('HTTP %i means "not processed, try again"', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  test.each([200, 400, 404, 428, 430, 500, 501, 505])('HTTP %i is not retried (a 500 may have had an effect)', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});

describe('retryDelayMs', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  /** The jitter's draw, pinned: 0 gives half the ceiling, 0.5 three quarters (exact binary fractions). */
  const drawing = (value: number): void => {
    jest.spyOn(Math, 'random').mockReturnValue(value);
  };

  test('waits between half and all of the backoff before the first retry', () => {
    drawing(0);
    expect(retryDelayMs(1, 200, null)).toBe(100);
    drawing(0.5);
    expect(retryDelayMs(1, 200, null)).toBe(150);
  });

  test('doubles the ceiling on each further attempt', () => {
    drawing(0);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 200, null))).toEqual([100, 200, 400, 800]);
    drawing(0.5);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 200, null))).toEqual([150, 300, 600, 1200]);
  });

  test('rounds the jittered delay to whole milliseconds', () => {
    drawing(0.5);
    // ceiling 1 ms: 0.5 + 0.25 = 0.75, rounded up.
    expect(retryDelayMs(1, 1, null)).toBe(1);
    drawing(0);
    // ceiling 3 ms: 1.5, rounded up.
    expect(retryDelayMs(1, 3, null)).toBe(2);
  });

  test("takes the provider's Retry-After instead of the backoff when it sent one", () => {
    drawing(0);
    expect(retryDelayMs(1, 200, '7')).toBe(7000);
    expect(retryDelayMs(3, 200, '0')).toBe(0);
  });

  test('falls back to the backoff when Retry-After cannot be read', () => {
    drawing(0);
    expect(retryDelayMs(2, 200, 'soon')).toBe(200);
  });
});

describe('parseRetryAfterMs', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });
  const now = Date.parse('2026-12-05T12:00:00Z');

  test('reads whole seconds, around spaces', () => {
    expect(parseRetryAfterMs('0', now)).toBe(0);
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs(' 12 ', now)).toBe(12_000);
    expect(parseRetryAfterMs('999999', now)).toBe(999_999_000);
  });

  test('reads an HTTP date as the time left until then', () => {
    expect(parseRetryAfterMs('Sat, 05 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
  });

  test('an HTTP date already past means retry now, never a negative delay', () => {
    expect(parseRetryAfterMs('Sat, 05 Dec 2026 11:59:00 GMT', now)).toBe(0);
  });

  test('measures an HTTP date from the current time by default', () => {
    jest.spyOn(Date, 'now').mockReturnValue(now);
    expect(parseRetryAfterMs('Sat, 05 Dec 2026 12:01:00 GMT')).toBe(60_000);
  });

  test.each([
    ['absent', null],
    ['empty', ''],
    ['words', 'soon'],
    ['seconds with a prefix', 'a12'],
    ['seconds with a suffix', '12abc'],
    ['more than six digits of seconds', '1234567'],
  ])('gives no delay for a Retry-After that is %s', (_case, value) => {
    expect(parseRetryAfterMs(value, now)).toBeNull();
  });
});
