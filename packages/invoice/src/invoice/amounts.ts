import { divideRoundingUp } from '../money/decimal.js';
import { type Invoice, type Payment } from './invoice.js';
import { parseTolerancePercent } from './policy.js';
import { isReplaceable } from './replace-by-fee.js';

type CountingContext = Pick<Invoice, 'coin' | 'policy'>;

/** Whether a recorded payment counts toward what the invoice has been paid. */
export function isCounted(invoice: CountingContext, payment: Payment): boolean {
  if (payment.coin !== invoice.coin) return false; // recorded as evidence, never counted
  if (payment.state === 'reverted') return false;
  if (payment.rbf && isReplaceable(payment)) return false; // the payer can still replace it
  return !payment.test || invoice.policy.allowTestPayments;
}

/** Counted pending + confirmed payments, in base units of the invoice's coin. */
export function amountPaid(invoice: Pick<Invoice, 'coin' | 'policy' | 'payments'>): bigint {
  return sum(invoice.payments.filter((payment) => isCounted(invoice, payment)));
}

/** Counted confirmed payments, in base units of the invoice's coin. */
export function amountConfirmed(invoice: Pick<Invoice, 'coin' | 'policy' | 'payments'>): bigint {
  return sum(invoice.payments.filter((payment) => payment.state === 'confirmed' && isCounted(invoice, payment)));
}

/**
 * What must be paid for the invoice to count as paid: `amountDue × (1 − tolerance%)`, rounded up
 * to a whole base unit, and never less than one base unit (so a 100 % tolerance is not paid by nothing).
 */
export function paymentThreshold(invoice: Pick<Invoice, 'amountDue' | 'policy'>): bigint {
  const tolerance = parseTolerancePercent(invoice.policy.tolerancePercent);
  const whole = 100n * 10n ** BigInt(tolerance.scale);
  const threshold = divideRoundingUp(invoice.amountDue * (whole - tolerance.coefficient), whole);
  return threshold > 1n ? threshold : 1n;
}

function sum(payments: readonly Payment[]): bigint {
  return payments.reduce((total, payment) => total + payment.amount, 0n);
}
