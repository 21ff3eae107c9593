import { describe, expect, it } from '@jest/globals';
import { isPublicAddress } from '../src/webhooks/endpoint-url.js';
import { DEFAULT_RETRY_SCHEDULE, nextAttemptAt, parseRetryWait } from '../src/webhooks/retry-schedule.js';

describe('webhook retry schedule', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseRetryWait(text)).toBe(ms);
  });

  it.each(['', '5', '0s', '-5s', '1.5s', '5 sec', '8d', '5S'])('refuses %j', (text) => {
    expect(parseRetryWait(text)).toBeNull();
  });

  it('waits the scheduled time ±10 %, and is used up after the last wait', () => {
    const schedule = DEFAULT_RETRY_SCHEDULE.map((text) => parseRetryWait(text) as number);
    const now = new Date('2026-12-04T12:00:00Z');
    expect(nextAttemptAt(schedule, 1, now, () => 0)?.getTime()).toBe(now.getTime() + 4_500);
    expect(nextAttemptAt(schedule, 1, now, () => 1)?.getTime()).toBe(now.getTime() + 5_500);
    expect(nextAttemptAt(schedule, 7, now, () => 0.5)?.getTime()).toBe(now.getTime() + 36_000_000);
    expect(nextAttemptAt(schedule, 8, now)).toBeNull();
  });
});

describe('webhook endpoint addresses', () => {
  it.each(['93.184.216.34', '2606:4700:4700::1111'])('accepts the public address %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each(['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', 'not-an-ip'])(
    'refuses %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(false);
    },
  );
});
