/** Standard Webhooks' / Svix's schedule after the first attempt; then the delivery is `failed`. */
export const DEFAULT_RETRY_SCHEDULE = ['5s', '5m', '30m', '2h', '5h', '10h', '10h'] as const;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^([1-9][0-9]{0,6})(ms|s|m|h|d)$/;
/** The longest single wait: a week. */
const MAX_WAIT_MS = 7 * 86_400_000;

/** `5s`, `30m`, `2h`… in milliseconds; null when it is not such a duration. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  const ms = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  return ms <= MAX_WAIT_MS ? ms : null;
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
