import { DAY_MS, parseDuration } from '../scheduling/duration.js';

/** Standard Webhooks' / Svix's schedule after the first attempt; then the delivery is `failed`. */
export const DEFAULT_RETRY_SCHEDULE = ['5s', '5m', '30m', '2h', '5h', '10h', '10h'] as const;

/** The longest single wait: a week. */
export const MAX_RETRY_WAIT_MS = 7 * DAY_MS;

/** One wait of the retry schedule (`5s`, `30m`, `2h`…) in milliseconds; null when it is not one. */
export function parseRetryWait(text: string): number | null {
  return parseDuration(text, MAX_RETRY_WAIT_MS);
}

/**
 * When to try again after failed attempt number `attempt` (from 1), ±10 % so that deliveries failed
 * together do not come back together; null when the schedule is used up.
 */
export function nextAttemptAt(scheduleMs: readonly number[], attempt: number, now: Date, random: () => number = Math.random): Date | null {
  const wait = scheduleMs[attempt - 1];
  if (wait === undefined) return null;
  const jitter = 0.9 + 0.2 * random();
  return new Date(now.getTime() + Math.round(wait * jitter));
}
