const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^([1-9][0-9]{0,6})(ms|s|m|h|d)$/;

export const DAY_MS = UNIT_MS.d!;

/** How a duration is written in options and settings, for their messages. */
export const DURATION_RULE = 'a whole number with a unit ms, s, m, h or d';

/**
 * `500ms`, `5s`, `30m`, `2h`, `1d` in milliseconds; null when the text is not such a duration or is
 * longer than `maxMs` (every schedule has a bound beyond which a value is a typing mistake).
 */
export function parseDuration(text: string, maxMs: number = Number.MAX_SAFE_INTEGER): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  return ms <= maxMs ? ms : null;
}
