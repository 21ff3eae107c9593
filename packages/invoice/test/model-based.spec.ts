import fc from 'fast-check';
import {
  amountConfirmed,
  amountPaid,
  applyClock,
  applyObservation,
  createInvoice,
  type ExceptionStatus,
  type Invoice,
  type InvoiceChange,
  InvoiceError,
  type InvoiceEvent,
  INVOICE_PAYMENT_EVENT_TYPES,
  INVOICE_STATUS_EVENT_TYPES,
  type InvoiceStatus,
  invoicePolicy,
  nextState,
  nextTimeCheckAt,
  type ObservationKind,
  type Payment,
  paymentThreshold,
} from '../src/index.js';
import { ADDRESS, CREATED_AT, newInvoiceInput } from './fixtures.js';
import {
  InvoiceModel,
  type ModelEvent,
  type ModelFacts,
  modelNextState,
  type ModelObservation,
  type ModelOutcome,
  type ModelPayment,
  type ModelPolicy,
  modelThreshold,
} from './model/invoice-model.js';

/**
 * The real rules checked against the reference model in ./model (written from docs/invoice.md), on
 * generated invoices and histories whose amounts and moments sit on the boundaries the rules turn on:
 * exactly at the threshold and one unit either side, at expiry and at the end of monitoring (and one
 * millisecond either side), thresholds that need rounding, reverted, RBF, test and other-coin payments.
 */

const MINUTE = 60_000;
const RUNS = 300;

// --- generators ------------------------------------------------------------------------------

/** Tolerances that are whole, need rounding at every scale, or sit at 0 and 100 %. */
const toleranceArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '0.5', '1', '33.333333', '50', '99.999999', '100', '0.000001'),
  fc
    .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 999_999 }))
    .map(([whole, scale, digits]) => (scale === 0 ? String(whole) : `${whole}.${String(digits).padStart(6, '0').slice(0, scale)}`)),
);

const policyArb: fc.Arbitrary<ModelPolicy> = fc.record({
  expiryMinutes: fc.constantFrom(1, 15),
  monitoringMinutes: fc.constantFrom(0, 1, 60),
  tolerancePercent: toleranceArb,
  allowTestPayments: fc.boolean(),
});

const dueArb: fc.Arbitrary<bigint> = fc.oneof(fc.constantFrom(1n, 2n, 3n, 7n, 100_000n, 100_001n), fc.bigInt({ min: 1n, max: 10n ** 12n }));

const atLeastZero = (value: bigint) => (value < 0n ? 0n : value);

/** An amount that, alone or added to another, lands on a boundary of `due` and `threshold`. */
function amountArb(due: bigint, threshold: bigint): fc.Arbitrary<bigint> {
  return fc.oneof(
    fc.constantFrom(0n, 1n, threshold - 1n, threshold, threshold + 1n, due, due + 1n, due - threshold + 1n).map(atLeastZero),
    fc.bigInt({ min: 0n, max: 2n * due }),
  );
}

interface Transaction {
  readonly coin: string;
  readonly txid: string;
  readonly amount: bigint;
  readonly test: boolean;
}

/**
 * Two transactions that together pay the threshold exactly, or one unit less or more; two more on other
 * boundaries; one in another coin (recorded, never counted).
 */
function transactionsArb(due: bigint, threshold: bigint): fc.Arbitrary<Transaction[]> {
  const testFlag = fc.constantFrom(false, false, false, true);
  return fc
    .record({
      first: fc.bigInt({ min: 0n, max: threshold }),
      nudge: fc.constantFrom(-1n, 0n, 0n, 1n),
      third: amountArb(due, threshold),
      fourth: amountArb(due, threshold),
      other: amountArb(due, threshold),
      tests: fc.tuple(testFlag, testFlag, testFlag, testFlag, testFlag),
    })
    .map(({ first, nudge, third, fourth, other, tests }) => [
      { coin: 'BTC', txid: 't1', amount: first, test: tests[0] },
      { coin: 'BTC', txid: 't2', amount: atLeastZero(threshold - first + nudge), test: tests[1] },
      { coin: 'BTC', txid: 't3', amount: third, test: tests[2] },
      { coin: 'BTC', txid: 't4', amount: fourth, test: tests[3] },
      { coin: 'LTC', txid: 't1', amount: other, test: tests[4] },
    ]);
}

const kindArb = fc.constantFrom<ObservationKind>('seen', 'seen', 'seen', 'confirmed', 'confirmed', 'reverted');
const confirmationsArb = fc.constantFrom<number | null>(null, 0, 0, 1, 2, 6);
const rbfArb = fc.constantFrom(false, false, true);

function observationArb(transactions: readonly Transaction[]): fc.Arbitrary<ModelObservation> {
  return fc
    .record({ tx: fc.constantFrom(...transactions), kind: kindArb, confirmations: confirmationsArb, rbf: rbfArb })
    .map(({ tx, kind, confirmations, rbf }) => ({ ...tx, address: ADDRESS, kind, confirmations, rbf }));
}

/** A report that contradicts a recorded transaction (amount or test flag), or is for another address. */
function badObservationArb(transactions: readonly Transaction[]): fc.Arbitrary<ModelObservation> {
  return fc
    .tuple(observationArb(transactions), fc.constantFrom('amount', 'test', 'address'))
    .map(([observation, what]) =>
      what === 'amount'
        ? { ...observation, amount: observation.amount + 1n }
        : what === 'test'
          ? { ...observation, test: !observation.test }
          : { ...observation, address: 'bc1qsomeoneelse' },
    );
}

/** Milliseconds after creation: on and around expiry and the end of monitoring, or anywhere. */
function momentArb(policy: ModelPolicy): fc.Arbitrary<number> {
  const expiry = policy.expiryMinutes * MINUTE;
  const closing = expiry + policy.monitoringMinutes * MINUTE;
  return fc.oneof(
    fc.constantFrom(0, expiry - 1, expiry, expiry + 1, closing - 1, closing, closing + 1),
    fc.integer({ min: 0, max: closing + 2 * MINUTE }),
  );
}

type Step = { readonly at: number; readonly clock: true } | { readonly at: number; readonly observation: ModelObservation };

interface Scenario {
  readonly policy: ModelPolicy;
  readonly due: bigint;
  readonly transactions: readonly Transaction[];
  readonly steps: readonly Step[];
}

/** Histories of reports and sweeps; with `rejected`, some reports are ones the rules must refuse. */
const scenarioArb = ({ rejected }: { rejected: boolean }): fc.Arbitrary<Scenario> =>
  fc.record({ policy: policyArb, due: dueArb }).chain(({ policy, due }) =>
    transactionsArb(due, modelThreshold(due, policy.tolerancePercent)).chain((transactions) =>
      fc
        .array(
          fc.tuple(
            momentArb(policy),
            fc.oneof(
              { weight: 12, arbitrary: observationArb(transactions).map((observation) => ({ observation })) },
              { weight: 3, arbitrary: fc.constant({ clock: true as const }) },
              { weight: rejected ? 1 : 0, arbitrary: badObservationArb(transactions).map((observation) => ({ observation })) },
            ),
          ),
          { maxLength: 25 },
        )
        // Time only moves forward; several steps often share a moment.
        .map((steps) => steps.sort(([a], [b]) => a - b).map(([at, action]): Step => ({ at, ...action })))
        .map((steps) => ({ policy, due, transactions, steps })),
    ),
  );

// --- comparing the real invoice with the model ------------------------------------------------

const moment = (ms: number) => new Date(CREATED_AT.getTime() + ms);
const keyOf = (payment: Pick<Payment, 'coin' | 'txid' | 'address'>) => JSON.stringify([payment.coin, payment.txid, payment.address]);
const byKey = <T extends Pick<Payment, 'coin' | 'txid' | 'address'>>(payments: readonly T[]) =>
  [...payments].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));

function open(policy: ModelPolicy, due: bigint): { invoice: Invoice; model: InvoiceModel } {
  const { invoice } = createInvoice(newInvoiceInput({ amountDue: due }), invoicePolicy(policy), CREATED_AT);
  return { invoice, model: new InvoiceModel('BTC', ADDRESS, due, policy, CREATED_AT) };
}

function actual(invoice: Invoice) {
  return {
    status: invoice.status,
    exceptionStatus: invoice.exceptionStatus,
    version: invoice.version,
    updatedAt: invoice.updatedAt,
    payments: byKey(invoice.payments),
    amountPaid: amountPaid(invoice),
    amountConfirmed: amountConfirmed(invoice),
    threshold: paymentThreshold(invoice),
    nextTimeCheckAt: nextTimeCheckAt(invoice),
  };
}

function expected(model: InvoiceModel) {
  return {
    status: model.status,
    exceptionStatus: model.exceptionStatus,
    version: model.version,
    updatedAt: model.updatedAt,
    payments: byKey(model.payments()),
    amountPaid: model.amountPaid(),
    amountConfirmed: model.amountConfirmed(),
    threshold: model.threshold,
    nextTimeCheckAt: model.nextTimeCheckAt(),
  };
}

/** The event as the model describes it; its envelope (invoice, moment, amount due) is checked here. */
function describeEvent(event: InvoiceEvent, invoice: Invoice, now: Date): ModelEvent {
  expect([event.invoiceId, event.occurredAt]).toEqual([invoice.id, now]);
  if ('payment' in event) {
    expect(INVOICE_PAYMENT_EVENT_TYPES).toContain(event.type);
    return { type: event.type, payment: event.payment as ModelPayment };
  }
  expect(INVOICE_STATUS_EVENT_TYPES).toContain(event.type);
  expect(event.amountDue).toBe(invoice.amountDue);
  const { type, status, exceptionStatus } = event;
  return { type, status, exceptionStatus, amountPaid: event.amountPaid, amountConfirmed: event.amountConfirmed };
}

/** Applies one step to the real invoice and the model, and checks that they agree on everything observable. */
function stepBoth(invoice: Invoice, model: InvoiceModel, step: Step): Invoice {
  const now = moment(step.at);
  const real = (): InvoiceChange =>
    'clock' in step ? applyClock(invoice, now) : applyObservation(invoice, { ...step.observation }, now);
  const outcome: ModelOutcome = 'clock' in step ? model.clock(now) : model.observe(step.observation, now);
  if (outcome.kind === 'rejected') {
    expect(real).toThrow(InvoiceError);
    expect(() => real()).toThrow(expect.objectContaining({ code: outcome.code, field: outcome.field }));
    return invoice;
  }
  const change = real();
  if (outcome.kind === 'unchanged') {
    expect(change.invoice).toBe(invoice);
    expect(change.events).toEqual([]);
  } else {
    expect(change.events.map((event) => describeEvent(event, invoice, now))).toEqual(outcome.events);
  }
  expect(actual(change.invoice)).toEqual(expected(model));
  return change.invoice;
}

// --- the properties ---------------------------------------------------------------------------

describe('model-based: any history of reports and sweeps', () => {
  it('evolves the invoice exactly as the documented rules say: status, exception, ledger, figures, events, version', () => {
    fc.assert(
      fc.property(scenarioArb({ rejected: true }), ({ policy, due, steps }) => {
        const { invoice: created, model } = open(policy, due);
        expect(actual(created)).toEqual(expected(model));
        let invoice = created;
        for (const step of steps) invoice = stepBoth(invoice, model, step);
      }),
      { numRuns: RUNS },
    );
  });

  it('ends in the same ledger and status whatever order the reports of one moment arrive in', () => {
    // Only reports the ledger accepts: a contradicting one is refused or recorded depending on what came first.
    const arb = scenarioArb({ rejected: false }).chain((scenario) =>
      fc.record({
        scenario: fc.constant(scenario),
        at: momentArb(scenario.policy),
        shuffled: fc.shuffledSubarray([...scenario.steps], { minLength: scenario.steps.length, maxLength: scenario.steps.length }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ scenario: { policy, due, steps }, at, shuffled }) => {
        const runAt = (order: readonly Step[]) => {
          const { invoice: created, model } = open(policy, due);
          let invoice = created;
          for (const step of order) invoice = stepBoth(invoice, model, { ...step, at });
          return invoice;
        };
        const inOrder = runAt(steps);
        const reordered = runAt(shuffled);
        expect([byKey(reordered.payments), reordered.status, reordered.exceptionStatus]).toEqual([
          byKey(inOrder.payments),
          inOrder.status,
          inOrder.exceptionStatus,
        ]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('model-based: the threshold', () => {
  it('is amountDue × (100 − tolerance) / 100 rounded up to a whole base unit, and at least 1', () => {
    const policy = invoicePolicy();
    fc.assert(
      fc.property(fc.oneof(dueArb, fc.bigInt({ min: 1n, max: 10n ** 30n })), toleranceArb, (amountDue, tolerancePercent) => {
        expect(paymentThreshold({ amountDue, policy: { ...policy, tolerancePercent } })).toBe(modelThreshold(amountDue, tolerancePercent));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('model-based: nextState on its own', () => {
  const statusArb = fc.constantFrom<InvoiceStatus>('new', 'processing', 'settled', 'expired', 'invalid');
  const exceptionArb = fc.constantFrom<ExceptionStatus>(null, 'paidPartial', 'paidOver', 'paidLate');

  /** Facts on the edges: paid and confirmed at, just under and just over the threshold and the amount due. */
  const factsArb: fc.Arbitrary<ModelFacts> = dueArb.chain((due) =>
    fc
      .record({ threshold: fc.oneof(fc.constantFrom(1n, due), fc.bigInt({ min: 1n, max: due })), pastExpiry: fc.boolean(), closedIfPast: fc.boolean() })
      .chain(({ threshold, pastExpiry, closedIfPast }) =>
        amountArb(due, threshold).chain((paid) =>
          fc
            .oneof(fc.constantFrom(0n, threshold - 1n, threshold, paid).map(atLeastZero), fc.bigInt({ min: 0n, max: paid }))
            .map((confirmed) => ({
              paid,
              confirmed: confirmed > paid ? paid : confirmed,
              threshold,
              due,
              pastExpiry,
              closed: pastExpiry && closedIfPast,
            })),
        ),
      ),
  );

  it('gives the state of the first matching row of the documented status table', () => {
    fc.assert(
      fc.property(statusArb, exceptionArb, factsArb, (status, exceptionStatus, facts) => {
        const { closed, ...rest } = facts;
        expect(nextState({ status, exceptionStatus }, { ...rest, monitoringClosed: closed })).toEqual(
          modelNextState({ status, exceptionStatus }, facts),
        );
      }),
      { numRuns: 2 * RUNS },
    );
  });
});
