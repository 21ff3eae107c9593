import { beforeEach, describe, expect, it } from '@jest/globals';
import { DuplicateLogLimiter } from '../src/callbacks/duplicate-log-limiter.js';

describe('DuplicateLogLimiter', () => {
  let now: number;
  const clock = { now: () => now };

  beforeEach(() => {
    now = 10_000;
  });

  it('logs the first duplicate of a delivery, then none until the interval has passed', () => {
    const limiter = new DuplicateLogLimiter(60_000, clock);
    expect(limiter.admits('blockbee', 'a')).toBe(true);
    now += 60_000;
    expect(limiter.admits('blockbee', 'a')).toBe(false);
    expect(limiter.admits('blockonomics', 'a')).toBe(true); // deliveries are per provider
    now += 1;
    expect(limiter.admits('blockbee', 'a')).toBe(true);
    expect(limiter.admits('blockbee', 'a')).toBe(false); // logged again: the interval starts again
  });

  it('forgets the least recently logged delivery first when full, so its next duplicate is logged', () => {
    const limiter = new DuplicateLogLimiter(60_000, clock);
    const admitted = Array.from({ length: 10_001 }, (_, i) => limiter.admits('blockbee', `d-${i}`)).filter(Boolean).length;
    expect(admitted).toBe(10_001);
    expect(limiter.admits('blockbee', 'd-10000')).toBe(false);
    expect(limiter.admits('blockbee', 'd-0')).toBe(true);
  });

  it('logs every duplicate with an interval of 0', () => {
    const limiter = new DuplicateLogLimiter(0, clock);
    expect(limiter.admits('blockbee', 'a')).toBe(true);
    expect(limiter.admits('blockbee', 'a')).toBe(true);
  });
});
