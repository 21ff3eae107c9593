import { describe, expect, test } from '@jest/globals';
import { ProviderError } from '@cryptopay/provider-kit';
import { HistoryRateLimit } from '../src/reconciliation/history-rate-limit.js';

/** The budget on a clock of the test's own: `at` is milliseconds after the first request. */
function budget(perMinute: number) {
  let now = Date.UTC(2026, 11, 5, 12);
  const start = now;
  const limit = new HistoryRateLimit(perMinute, () => now);
  return {
    takeAt(at: number): ProviderError | undefined {
      now = start + at;
      try {
        limit.take();
        return undefined;
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        return error;
      }
    },
  };
}

describe("this instance's budget of Blockonomics history requests (a sliding minute)", () => {
  test('refuses a request over the budget, saying how many a minute and in how many seconds one is free', () => {
    const history = budget(2);
    expect(history.takeAt(0)).toBeUndefined();
    expect(history.takeAt(10_000)).toBeUndefined();
    const refused = history.takeAt(20_000);
    expect(refused).toMatchObject({ kind: 'rate-limit', retryAfterSeconds: 40 });
    expect(refused?.message).toBe("blockonomics: searchhistory: this instance's budget of 2 request(s) a minute is spent");
  });

  test('frees a request exactly a minute after it was sent, and not a millisecond sooner (rounded up to a whole second)', () => {
    const history = budget(1);
    expect(history.takeAt(0)).toBeUndefined();
    expect(history.takeAt(59_999)).toMatchObject({ retryAfterSeconds: 1 });
    expect(history.takeAt(60_000)).toBeUndefined();
  });

  test('a refused request takes nothing from the budget', () => {
    const history = budget(1);
    expect(history.takeAt(0)).toBeUndefined();
    expect(history.takeAt(30_000)).toBeDefined();
    expect(history.takeAt(60_000)).toBeUndefined();
    expect(history.takeAt(61_000)).toMatchObject({ retryAfterSeconds: 59 });
  });

  test('frees the requests of the last minute one by one, oldest first', () => {
    const history = budget(2);
    history.takeAt(0);
    history.takeAt(30_000);
    expect(history.takeAt(60_000)).toBeUndefined();
    expect(history.takeAt(61_000)).toMatchObject({ retryAfterSeconds: 29 });
    expect(history.takeAt(90_000)).toBeUndefined();
  });
});
