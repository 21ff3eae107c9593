import type { StoredOutcome } from './idempotency-store.js';

/** Rejects what cannot be stored and replayed as-is. */
export function assertStorableOutcome(outcome: StoredOutcome): void {
  if (!isOutcome(outcome)) {
    throw new TypeError('An idempotency outcome needs an integer status 100-599, string headers and a string body.');
  }
}

export function encodeOutcome(outcome: StoredOutcome): string {
  return JSON.stringify({ status: outcome.status, headers: outcome.headers, body: outcome.body });
}

/** undefined when the stored text is not an outcome this package wrote. */
export function decodeOutcome(text: string): StoredOutcome | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isOutcome(parsed) ? parsed : undefined;
}

function isOutcome(value: unknown): value is StoredOutcome {
  if (value === null || typeof value !== 'object') return false;
  const { status, headers, body } = value as Partial<StoredOutcome>;
  return (
    Number.isInteger(status) &&
    (status as number) >= 100 &&
    (status as number) <= 599 &&
    typeof body === 'string' &&
    headers !== null &&
    typeof headers === 'object' &&
    Object.values(headers).every((header) => typeof header === 'string')
  );
}
