/** A provider's name: its route segment (`/v1/callbacks/<name>`) and the key of its invoices. */
export const PROVIDER_NAME_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;

/** 2–32 lower-case letters, digits or dashes, starting with a letter ("blockonomics"). */
export function isProviderName(value: unknown): value is string {
  return typeof value === 'string' && PROVIDER_NAME_PATTERN.test(value);
}
