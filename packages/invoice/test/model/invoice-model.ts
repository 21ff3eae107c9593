/**
 * A reference model of the invoice rules, written from docs/invoice.md alone (the ledger, "what
 * counts", the status table, the events) and deliberately NOT from src/invoice: the property tests
 * check the real functions against it. Where the doc says it one way and the code another, this
 * file follows the doc. Only types are imported from the package.
 */
import type { ExceptionStatus, InvoiceStatus, ObservationKind, PaymentState } from '../../src/index.js';

export interface ModelPolicy {
  readonly expiryMinutes: number;
  readonly monitoringMinutes: number;
  readonly tolerancePercent: string;
  readonly allowTestPayments: boolean;
}

export interface ModelObservation {
  readonly coin: string;
  readonly txid: string;
  readonly address: string;
  readonly amount: bigint;
  readonly kind: ObservationKind;
  readonly confirmations: number | null;
  readonly rbf: boolean;
  readonly test: boolean;
}

export interface ModelPayment {
  readonly coin: string;
  readonly txid: string;
  readonly address: string;
  readonly amount: bigint;
  readonly state: PaymentState;
  readonly confirmations: number | null;
  readonly rbf: boolean;
  readonly test: boolean;
  readonly receivedAt: Date;
  readonly updatedAt: Date;
}

export interface ModelState {
  readonly status: InvoiceStatus;
  readonly exceptionStatus: ExceptionStatus;
}

/** The facts the status table reads ("Status rules" in the doc). */
export interface ModelFacts {
  readonly paid: bigint;
  readonly confirmed: bigint;
  readonly threshold: bigint;
  readonly due: bigint;
  readonly pastExpiry: boolean;
  readonly closed: boolean;
}

/** An event as the doc's table describes it: its type, and the figures or the payment it carries. */
export type ModelEvent =
  | { readonly type: string; readonly status: InvoiceStatus; readonly exceptionStatus: ExceptionStatus; readonly amountPaid: bigint; readonly amountConfirmed: bigint }
  | { readonly type: string; readonly payment: ModelPayment };

export type ModelOutcome =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'changed'; readonly events: readonly ModelEvent[] }
  | { readonly kind: 'rejected'; readonly code: string; readonly field: string };

const MINUTE = 60_000;

/** "amountDue × (100 − tolerancePercent) / 100, rounded up to a whole base unit, and at least 1." */
export function modelThreshold(amountDue: bigint, tolerancePercent: string): bigint {
  const [whole = '0', fraction = ''] = tolerancePercent.split('.');
  const denominator = 100n * 10n ** BigInt(fraction.length); // 100 %, at the tolerance's precision
  const tolerance = BigInt(whole + fraction);
  const numerator = amountDue * (denominator - tolerance);
  const quotient = numerator / denominator;
  const roundedUp = quotient * denominator === numerator ? quotient : quotient + 1n;
  return roundedUp < 1n ? 1n : roundedUp;
}

/** A row of the status table: the statuses it applies to, when, and what it gives. First match wins. */
interface Row {
  readonly from: readonly InvoiceStatus[];
  readonly when: (facts: ModelFacts) => boolean;
  readonly to: (state: ModelState, facts: ModelFacts) => ModelState;
}

const always = () => true;

const STATUS_TABLE: readonly Row[] = [
  /* 1 */ { from: ['invalid'], when: always, to: (state) => state },
  /* 2 */ { from: ['new'], when: (f) => f.closed, to: (state) => ({ status: 'expired', exceptionStatus: state.exceptionStatus }) },
  /* 3 */ { from: ['processing'], when: (f) => f.closed, to: (state) => ({ status: 'invalid', exceptionStatus: state.exceptionStatus }) },
  /* 4 */ { from: ['expired', 'settled'], when: (f) => f.closed, to: (state) => state },
  /* 5 */ {
    from: ['new', 'expired', 'processing'],
    when: (f) => f.paid < f.threshold,
    to: (_state, f) => ({ status: f.pastExpiry ? 'expired' : 'new', exceptionStatus: f.paid > 0n ? 'paidPartial' : null }),
  },
  /* 6 */ {
    from: ['new', 'expired'],
    when: (f) => f.paid >= f.threshold,
    to: (_state, f) => ({
      status: f.confirmed >= f.threshold ? 'settled' : 'processing',
      exceptionStatus: f.pastExpiry ? 'paidLate' : f.paid > f.due ? 'paidOver' : null,
    }),
  },
  /* 7 */ {
    from: ['processing', 'settled'],
    when: always,
    to: (state, f) => ({
      status: state.status === 'settled' || f.confirmed >= f.threshold ? 'settled' : 'processing',
      exceptionStatus: state.exceptionStatus === 'paidLate' ? 'paidLate' : f.paid > f.due ? 'paidOver' : null,
    }),
  },
];

export function modelNextState(state: ModelState, facts: ModelFacts): ModelState {
  const row = STATUS_TABLE.find((candidate) => candidate.from.includes(state.status) && candidate.when(facts));
  if (!row) throw new Error(`the status table has no row for ${state.status}`);
  const next = row.to(state, facts);
  return { status: next.status, exceptionStatus: next.exceptionStatus };
}

/** "state only moves up: pending < reverted < confirmed" (but see `unlessMined`). */
const ORDER: readonly PaymentState[] = ['pending', 'reverted', 'confirmed'];
const STATE_OF: Readonly<Record<ObservationKind, PaymentState>> = { seen: 'pending', reverted: 'reverted', confirmed: 'confirmed' };
const STATUS_EVENT: Readonly<Record<InvoiceStatus, string>> = {
  new: 'invoice.reopened',
  processing: 'invoice.processing',
  settled: 'invoice.settled',
  expired: 'invoice.expired',
  invalid: 'invoice.invalid',
};
const EXCEPTION_EVENT: Readonly<Record<NonNullable<ExceptionStatus>, string>> = {
  paidPartial: 'invoice.paid_partial',
  paidOver: 'invoice.paid_over',
  paidLate: 'invoice.paid_late',
};

/** One invoice as the doc says it evolves. Mutable on purpose: it is a model, not the product. */
export class InvoiceModel {
  status: InvoiceStatus = 'new';
  exceptionStatus: ExceptionStatus = null;
  version = 1;
  updatedAt: Date;
  /** Keyed by `(coin, txid, address)`; `rbfSignalled` remembers any report that signalled RBF. */
  private readonly ledger = new Map<string, ModelPayment & { rbfSignalled: boolean }>();
  readonly expiresAt: Date;
  readonly monitoringEndsAt: Date;

  constructor(
    readonly coin: string,
    readonly address: string,
    readonly amountDue: bigint,
    readonly policy: ModelPolicy,
    readonly createdAt: Date,
  ) {
    this.updatedAt = createdAt;
    this.expiresAt = new Date(createdAt.getTime() + policy.expiryMinutes * MINUTE);
    this.monitoringEndsAt = new Date(this.expiresAt.getTime() + policy.monitoringMinutes * MINUTE);
  }

  get threshold(): bigint {
    return modelThreshold(this.amountDue, this.policy.tolerancePercent);
  }

  payments(): ModelPayment[] {
    return [...this.ledger.values()].map(({ rbfSignalled: _signalled, ...payment }) => payment);
  }

  /** "counts when it is in the invoice's coin, not reverted, not a replaceable payment with rbf, and not test unless allowed". */
  counts(payment: ModelPayment): boolean {
    return (
      payment.coin === this.coin &&
      payment.state !== 'reverted' &&
      !(payment.rbf && replaceable(payment.state, payment.confirmations)) &&
      (!payment.test || this.policy.allowTestPayments)
    );
  }

  amountPaid(): bigint {
    return this.total((payment) => payment.state === 'pending' || payment.state === 'confirmed');
  }

  amountConfirmed(): bigint {
    return this.total((payment) => payment.state === 'confirmed');
  }

  /** "expiresAt while new, monitoringEndsAt while processing, else null". */
  nextTimeCheckAt(): Date | null {
    if (this.status === 'new') return this.expiresAt;
    if (this.status === 'processing') return this.monitoringEndsAt;
    return null;
  }

  /** `applyClock`: the table on the current ledger at `now`; a change only if the status or exception status moved. */
  clock(now: Date): ModelOutcome {
    const before = { status: this.status, exceptionStatus: this.exceptionStatus };
    const events = this.evaluate(now);
    if (this.status === before.status && this.exceptionStatus === before.exceptionStatus) return { kind: 'unchanged' };
    return this.commit(now, events);
  }

  /**
   * `applyObservation`: rejected when it is for another address or contradicts a recorded transaction;
   * nothing at all when it does not change the ledger; else the status is first brought up to `now` on
   * the old ledger, then the payment recorded, then the table applied again.
   */
  observe(observation: ModelObservation, now: Date): ModelOutcome {
    if (observation.address !== this.address) return { kind: 'rejected', code: 'invalid-observation', field: 'address' };
    const key = JSON.stringify([observation.coin, observation.txid, observation.address]);
    const known = this.ledger.get(key);
    // The confirmed report's amount is final: it replaces an unconfirmed one's; a later unconfirmed one cannot change it.
    const confirmedNow = observation.kind === 'confirmed';
    const amountConflict = known && known.amount !== observation.amount && (known.state === 'confirmed') === confirmedNow;
    if (amountConflict) return { kind: 'rejected', code: 'conflicting-observation', field: 'amount' };
    if (known && known.test !== observation.test) return { kind: 'rejected', code: 'conflicting-observation', field: 'test' };
    const merged = known ? mergeInto(known, observation, now) : firstReport(observation, now);
    if (known && merged === known) return { kind: 'unchanged' };

    const catchUp = this.evaluate(now);
    this.ledger.set(key, merged);
    const { rbfSignalled: _signalled, ...payment } = merged;
    const paymentEvents = paymentEventTypes(known, merged).map((type): ModelEvent => ({ type, payment }));
    return this.commit(now, [...catchUp, ...paymentEvents, ...this.evaluate(now)]);
  }

  private facts(now: Date): ModelFacts {
    return {
      paid: this.amountPaid(),
      confirmed: this.amountConfirmed(),
      threshold: this.threshold,
      due: this.amountDue,
      pastExpiry: now.getTime() >= this.expiresAt.getTime(),
      closed: now.getTime() >= this.monitoringEndsAt.getTime(),
    };
  }

  /** Applies the table once and returns the status events it causes ("Only the actual change is announced"). */
  private evaluate(now: Date): ModelEvent[] {
    const before: ModelState = { status: this.status, exceptionStatus: this.exceptionStatus };
    const after = modelNextState(before, this.facts(now));
    this.status = after.status;
    this.exceptionStatus = after.exceptionStatus;
    const types: string[] = [];
    if (after.status !== before.status) types.push(STATUS_EVENT[after.status]);
    // "A change that only clears the exception status emits no exception event."
    if (after.exceptionStatus !== null && after.exceptionStatus !== before.exceptionStatus) types.push(EXCEPTION_EVENT[after.exceptionStatus]);
    return types.map((type) => ({
      type,
      status: after.status,
      exceptionStatus: after.exceptionStatus,
      amountPaid: this.amountPaid(),
      amountConfirmed: this.amountConfirmed(),
    }));
  }

  /** "the version goes up by exactly one, whatever number of events the change produced". */
  private commit(now: Date, events: ModelEvent[]): ModelOutcome {
    this.version += 1;
    this.updatedAt = now;
    return { kind: 'changed', events };
  }

  private total(included: (payment: ModelPayment) => boolean): bigint {
    let sum = 0n;
    for (const payment of this.ledger.values()) if (this.counts(payment) && included(payment)) sum += payment.amount;
    return sum;
  }
}

/** "replaceable: not confirmed and with no confirmation known (confirmations 0 or null)". */
function replaceable(state: PaymentState, confirmations: number | null): boolean {
  return state !== 'confirmed' && (confirmations === null || confirmations === 0);
}

/** "`reverted` holds only while no confirmation is known": with one, the payment is `pending` (or `confirmed`). */
function unlessMined(state: PaymentState, confirmations: number | null): PaymentState {
  return state === 'reverted' && confirmations !== null && confirmations > 0 ? 'pending' : state;
}

function firstReport(observation: ModelObservation, now: Date): ModelPayment & { rbfSignalled: boolean } {
  const state = unlessMined(STATE_OF[observation.kind], observation.confirmations);
  return {
    coin: observation.coin,
    txid: observation.txid,
    address: observation.address,
    amount: observation.amount,
    state,
    confirmations: observation.confirmations,
    rbf: observation.rbf && replaceable(state, observation.confirmations),
    test: observation.test,
    receivedAt: now,
    updatedAt: now,
    rbfSignalled: observation.rbf,
  };
}

/** The join: highest state (`reverted` only while unmined), highest known confirmations, RBF while ever signalled and still replaceable. */
function mergeInto(known: ModelPayment & { rbfSignalled: boolean }, observation: ModelObservation, now: Date): ModelPayment & { rbfSignalled: boolean } {
  const observed = STATE_OF[observation.kind];
  const confirmations =
    known.confirmations === null ? observation.confirmations : observation.confirmations === null ? known.confirmations : Math.max(known.confirmations, observation.confirmations);
  const state = unlessMined(ORDER.indexOf(observed) > ORDER.indexOf(known.state) ? observed : known.state, confirmations);
  const rbfSignalled = known.rbfSignalled || observation.rbf;
  const rbf = rbfSignalled && replaceable(state, confirmations);
  const amount = known.state !== 'confirmed' && observation.kind === 'confirmed' ? observation.amount : known.amount;
  if (amount === known.amount && state === known.state && confirmations === known.confirmations && rbf === known.rbf) return known;
  return { ...known, amount, state, confirmations, rbf, rbfSignalled, updatedAt: now };
}

/** The payment events table: received on entry (with confirmed/reverted when first reported so); else by what changed. */
function paymentEventTypes(known: ModelPayment | undefined, merged: ModelPayment): string[] {
  const stateEvent = merged.state === 'confirmed' ? 'invoice.payment_confirmed' : merged.state === 'reverted' ? 'invoice.payment_reverted' : null;
  if (!known) return stateEvent ? ['invoice.payment_received', stateEvent] : ['invoice.payment_received'];
  if (merged.state !== known.state && stateEvent) return [stateEvent];
  return ['invoice.payment_updated'];
}
