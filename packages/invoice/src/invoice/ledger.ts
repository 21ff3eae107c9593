import { InvoiceError } from './errors.js';
import { type InvoicePaymentEvent, type InvoicePaymentEventType } from './events.js';
import { type Invoice, type Payment, type PaymentState } from './invoice.js';
import { type ObservationKind, type PaymentObservation } from './observation.js';
import { isReplaceable } from './replace-by-fee.js';

const STATE_OF: Readonly<Record<ObservationKind, PaymentState>> = { seen: 'pending', reverted: 'reverted', confirmed: 'confirmed' };
/** A payment's state only moves up: a late `seen` never undoes `reverted`, nothing undoes `confirmed`. */
const RANK: Readonly<Record<PaymentState, number>> = { pending: 0, reverted: 1, confirmed: 2 };
const STATE_EVENT: Readonly<Record<PaymentState, InvoicePaymentEventType | null>> = {
  pending: null,
  reverted: 'invoice.payment_reverted',
  confirmed: 'invoice.payment_confirmed',
};

export interface LedgerChange {
  readonly payments: readonly Payment[];
  readonly events: readonly InvoicePaymentEvent[];
}

/**
 * Merges an observation into the payment ledger as a join (state: highest, `reverted` only while
 * unmined; confirmations: highest known; rbf: ever signalled, while the payment is still
 * replaceable), so duplicates and any delivery order give the same ledger. Returns the same
 * `payments` array when nothing changed.
 */
export function recordObservation(invoice: Invoice, observation: PaymentObservation, now: Date): LedgerChange {
  const index = invoice.payments.findIndex((payment) => isSamePayment(payment, observation));
  const current = invoice.payments[index];
  if (!current) {
    const added = newPayment(observation, now);
    const stateEvent = STATE_EVENT[added.state];
    const types: InvoicePaymentEventType[] = stateEvent ? ['invoice.payment_received', stateEvent] : ['invoice.payment_received'];
    return { payments: [...invoice.payments, added], events: types.map((type) => paymentEvent(type, invoice, added, now)) };
  }
  assertSameTransaction(current, observation);
  const merged = mergePayment(current, observation, now);
  if (merged === current) return { payments: invoice.payments, events: [] };
  const stateEvent = merged.state === current.state ? null : STATE_EVENT[merged.state];
  const type = stateEvent ?? 'invoice.payment_updated';
  return { payments: invoice.payments.with(index, merged), events: [paymentEvent(type, invoice, merged, now)] };
}

function isSamePayment(payment: Payment, observation: PaymentObservation): boolean {
  return payment.coin === observation.coin && payment.txid === observation.txid && payment.address === observation.address;
}

/**
 * What a transaction paid, once reported again. The confirmed report is the final word: it replaces
 * the amount of an unconfirmed one (BlockBee's pending and confirmed webhooks of one transaction
 * can carry different amounts), and a later unconfirmed report never changes a confirmed amount.
 * Two confirmed reports, or two unconfirmed ones, that disagree are a bug or a forgery: refused.
 */
function amountAfter(payment: Payment, observation: PaymentObservation): bigint {
  if (observation.amount === payment.amount) return payment.amount;
  const confirmedNow = observation.kind === 'confirmed';
  if (payment.state !== 'confirmed' && confirmedNow) return observation.amount;
  if (payment.state === 'confirmed' && !confirmedNow) return payment.amount;
  throw new InvoiceError(
    'conflicting-observation',
    'amount',
    `payment ${payment.txid} was recorded with amount ${payment.amount}, not ${observation.amount}`,
  );
}

/** A transaction never changes what it paid (but see {@link amountAfter}) or whether it is a test: a difference is a bug or a forgery. */
function assertSameTransaction(payment: Payment, observation: PaymentObservation): void {
  amountAfter(payment, observation);
  if (observation.test !== payment.test) {
    throw new InvoiceError('conflicting-observation', 'test', `payment ${payment.txid} was recorded with test=${payment.test}`);
  }
}

function newPayment(observation: PaymentObservation, now: Date): Payment {
  const confirmations = observation.confirmations;
  const state = joinedState('pending', STATE_OF[observation.kind], confirmations);
  return {
    coin: observation.coin,
    txid: observation.txid,
    address: observation.address,
    amount: observation.amount,
    state,
    confirmations,
    rbf: isReplaceable({ state, confirmations }) && observation.rbf,
    test: observation.test,
    receivedAt: now,
    updatedAt: now,
  };
}

function mergePayment(payment: Payment, observation: PaymentObservation, now: Date): Payment {
  const amount = amountAfter(payment, observation);
  const confirmations = highest(payment.confirmations, observation.confirmations);
  const state = joinedState(payment.state, STATE_OF[observation.kind], confirmations);
  // Once mined the flag is false for good, so a late zero-confirmation report cannot set it again.
  const rbf = isReplaceable({ state, confirmations }) && (payment.rbf || observation.rbf);
  if (amount === payment.amount && state === payment.state && confirmations === payment.confirmations && rbf === payment.rbf) return payment;
  return { ...payment, amount, state, confirmations, rbf, updatedAt: now };
}

/**
 * The joined state, given the highest confirmations known. `reverted` means dropped before being
 * mined, so it holds only while no confirmation is known: a transaction reported in a block was not
 * dropped (or was mined after all) and counts again. A function of the whole history (any confirmed,
 * highest confirmations, any reverted), so still order-independent.
 */
function joinedState(a: PaymentState, b: PaymentState, confirmations: number | null): PaymentState {
  const higher = RANK[b] > RANK[a] ? b : a;
  return higher === 'reverted' && (confirmations ?? 0) > 0 ? 'pending' : higher;
}

function highest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

function paymentEvent(type: InvoicePaymentEventType, invoice: Invoice, payment: Payment, now: Date): InvoicePaymentEvent {
  return { type, invoiceId: invoice.id, occurredAt: now, payment };
}
