import { amountConfirmed, amountPaid, paymentThreshold } from './amounts.js';
import { type ExceptionStatus, type Invoice, type InvoiceStatus } from './invoice.js';

export interface InvoiceState {
  readonly status: InvoiceStatus;
  readonly exceptionStatus: ExceptionStatus;
}

/** Everything the status rules look at, computed for one moment. */
export interface StatusFacts {
  /** Counted pending + confirmed. */
  readonly paid: bigint;
  /** Counted confirmed. */
  readonly confirmed: bigint;
  /** `amountDue × (1 − tolerance%)`, rounded up. */
  readonly threshold: bigint;
  readonly due: bigint;
  /** `now >= expiresAt`. */
  readonly pastExpiry: boolean;
  /** `now >= expiresAt + monitoring window`: payments no longer move the status. */
  readonly monitoringClosed: boolean;
}

/**
 * The invoice state machine: every status rule in one place. Applying it twice with the same facts
 * changes nothing the second time.
 */
export function nextState(current: InvoiceState, facts: StatusFacts): InvoiceState {
  const { status, exceptionStatus } = current;
  if (status === 'invalid') return current;
  if (facts.monitoringClosed) {
    if (status === 'new') return { status: 'expired', exceptionStatus };
    if (status === 'processing') return { status: 'invalid', exceptionStatus }; // still unconfirmed
    return current;
  }
  const wasCovered = status === 'processing' || status === 'settled';
  if (status !== 'settled' && facts.paid < facts.threshold) {
    // Not (or no longer) covered: a reverted or replaced payment sends processing back too.
    return { status: facts.pastExpiry ? 'expired' : 'new', exceptionStatus: facts.paid > 0n ? 'paidPartial' : null };
  }
  // Lateness is fixed when the cover is reached; it outranks paidOver.
  const late = wasCovered ? exceptionStatus === 'paidLate' : facts.pastExpiry;
  return {
    status: status === 'settled' || facts.confirmed >= facts.threshold ? 'settled' : 'processing',
    exceptionStatus: late ? 'paidLate' : facts.paid > facts.due ? 'paidOver' : null,
  };
}

export function statusFacts(invoice: Invoice, now: Date): StatusFacts {
  return {
    paid: amountPaid(invoice),
    confirmed: amountConfirmed(invoice),
    threshold: paymentThreshold(invoice),
    due: invoice.amountDue,
    pastExpiry: now >= invoice.expiresAt,
    monitoringClosed: now >= monitoringEndsAt(invoice),
  };
}

/** When payments stop being accepted: `monitoringMinutes` after expiry. */
export function monitoringEndsAt(invoice: Pick<Invoice, 'expiresAt' | 'policy'>): Date {
  return new Date(invoice.expiresAt.getTime() + invoice.policy.monitoringMinutes * 60_000);
}

/**
 * When the clock alone will next change this invoice (expiry of a `new` one, end of monitoring of a
 * `processing` one), or null when only a payment can change it. Stores index it for the sweep.
 */
export function nextTimeCheckAt(invoice: Invoice): Date | null {
  if (invoice.status === 'new') return invoice.expiresAt;
  if (invoice.status === 'processing') return monitoringEndsAt(invoice);
  return null;
}
