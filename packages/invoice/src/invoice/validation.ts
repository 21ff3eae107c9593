import { InvoiceError, type InvoiceErrorCode } from './errors.js';

/** Bounds identifiers (ids, addresses, txids) so hostile input cannot bloat a store or a log line. */
export const MAX_TEXT_LENGTH = 256;

/** Field checks for input that may come from untyped JSON; each names the field in its error. */
export function requireText(value: unknown, field: string, code: InvoiceErrorCode): string {
  if (typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT_LENGTH) return value;
  throw new InvoiceError(code, field, `${field} must be a non-empty string of at most ${MAX_TEXT_LENGTH} characters`);
}

export function requireWholeNumber(value: unknown, field: string, code: InvoiceErrorCode, min: number, max: number): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max) return value;
  throw new InvoiceError(code, field, `${field} must be a whole number from ${min} to ${max}`);
}

export function requireBoolean(value: unknown, field: string, code: InvoiceErrorCode): boolean {
  if (typeof value === 'boolean') return value;
  throw new InvoiceError(code, field, `${field} must be true or false`);
}

export function requireBaseUnits(value: unknown, field: string, code: InvoiceErrorCode, min: bigint): bigint {
  if (typeof value === 'bigint' && value >= min) return value;
  throw new InvoiceError(code, field, `${field} must be a bigint amount of base units, at least ${min}`);
}

/** `now` comes from the caller's clock, never from user input: a bad one is a programming error. */
export function assertClock(now: Date): void {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError('now must be a valid Date');
}
