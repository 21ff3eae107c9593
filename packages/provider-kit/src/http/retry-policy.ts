/** 429 and the gateway errors that mean "not processed, try again"; a plain 500 may have done something. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * The delay before retry `attempt + 1`: the provider's `Retry-After` (seconds or HTTP date) when it
 * sent one, otherwise exponential backoff with jitter so retries from many processes spread out.
 */
export function retryDelayMs(attempt: number, backoffMs: number, retryAfter: string | null): number {
  const requested = parseRetryAfterMs(retryAfter);
  if (requested !== null) return requested;
  const ceiling = backoffMs * 2 ** (attempt - 1);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

export function parseRetryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^[0-9]{1,6}$/.test(trimmed)) return Number.parseInt(trimmed, 10) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
