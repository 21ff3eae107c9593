import { type Decimal, parseDecimal } from '../money/decimal.js';
import { MoneyError } from '../money/money-error.js';
import { InvoiceError } from './errors.js';
import { requireBoolean, requireWholeNumber } from './validation.js';

/** The rules an invoice is held to; explicit values with BTCPay's defaults. */
export interface InvoicePolicy {
  /** How long the quote is valid. */
  readonly expiryMinutes: number;
  /** How long after expiry payments are still watched (late and unconfirmed ones). */
  readonly monitoringMinutes: number;
  /** Underpayment accepted as paid, as an exact decimal percent string ("0", "0.5"). */
  readonly tolerancePercent: string;
  /** Whether provider test payments (test bench, sandbox) count toward this invoice. */
  readonly allowTestPayments: boolean;
}

export const DEFAULT_INVOICE_POLICY: InvoicePolicy = Object.freeze({
  expiryMinutes: 15,
  monitoringMinutes: 24 * 60,
  tolerancePercent: '0',
  allowTestPayments: false,
});

/** A year: longer windows are configuration mistakes, and the bound keeps every derived date valid. */
export const MAX_POLICY_MINUTES = 366 * 24 * 60;
/** Decimal places accepted in `tolerancePercent` ("0.000001" %). */
export const MAX_TOLERANCE_SCALE = 6;

/** Checks every field (typed {@link InvoiceError} `invalid-policy`) and returns a frozen copy. */
export function validateInvoicePolicy(policy: InvoicePolicy): InvoicePolicy {
  if (typeof policy !== 'object' || policy === null) throw new InvoiceError('invalid-policy', 'policy', 'policy must be an object');
  parseTolerancePercent(policy.tolerancePercent);
  return Object.freeze({
    expiryMinutes: requireWholeNumber(policy.expiryMinutes, 'policy.expiryMinutes', 'invalid-policy', 1, MAX_POLICY_MINUTES),
    monitoringMinutes: requireWholeNumber(policy.monitoringMinutes, 'policy.monitoringMinutes', 'invalid-policy', 0, MAX_POLICY_MINUTES),
    tolerancePercent: policy.tolerancePercent,
    allowTestPayments: requireBoolean(policy.allowTestPayments, 'policy.allowTestPayments', 'invalid-policy'),
  });
}

/** The defaults with some values replaced, validated. */
export function invoicePolicy(overrides: Partial<InvoicePolicy> = {}): InvoicePolicy {
  return validateInvoicePolicy({ ...DEFAULT_INVOICE_POLICY, ...overrides });
}

/** The tolerance as an exact decimal from 0 to 100; one message for every way of missing it, never the value. */
export function parseTolerancePercent(text: unknown): Decimal {
  const field = 'policy.tolerancePercent';
  const refused = () =>
    new InvoiceError('invalid-policy', field, `${field} must be a decimal percent from 0 to 100 with at most ${MAX_TOLERANCE_SCALE} decimal places, like "0.5"`);
  if (typeof text !== 'string') throw refused();
  let percent: Decimal;
  try {
    percent = parseDecimal(text, { maxScale: MAX_TOLERANCE_SCALE, label: field });
  } catch (error) {
    if (error instanceof MoneyError) throw refused();
    throw error;
  }
  if (percent.coefficient > 100n * 10n ** BigInt(percent.scale)) throw refused();
  return percent;
}
