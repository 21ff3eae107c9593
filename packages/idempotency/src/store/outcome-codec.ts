import type { StoredOutcome } from './idempotency-store.js';

/** Rejects what cannot be stored and replayed as-is. */
export function assertStorableOutcome(outcome: StoredOutcome): void {
  if (!isOutcome(outcome)) {
    throw new TypeError('An idempotency outcome needs an integer status 100-599, string headers, a string body and string context values.');
  }
}

/** undefined when the stored text is not an outcome this package wrote (format 1, a hash's `outcome` field). */
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
  const { status, headers, body, context } = value as Partial<StoredOutcome>;
  return (
    Number.isInteger(status) &&
    (status as number) >= 100 &&
    (status as number) <= 599 &&
    typeof body === 'string' &&
    isStringMap(headers) &&
    (context === undefined || isStringMap(context))
  );
}

function isStringMap(value: unknown): value is Record<string, string> {
  return value !== null && typeof value === 'object' && Object.values(value).every((item) => typeof item === 'string');
}
