import fc from 'fast-check';
import {
  amountConfirmed,
  amountPaid,
  applyClock,
  applyObservation,
  type Invoice,
  type InvoiceChange,
  type ObservationKind,
  type Payment,
  type PaymentObservation,
  type PaymentState,
  paymentThreshold,
} from '../src/index.js';
import { ADDRESS, AFTER_EXPIRY, AFTER_MONITORING, applyAll, at, BEFORE_EXPIRY, DUE, openInvoice } from './fixtures.js';

/** A transaction output a provider may report on; its amount and test flag never change. */
interface Transaction {
  readonly coin: string;
  readonly txid: string;
  readonly amount: bigint;
  readonly test: boolean;
}

const transactionArb: fc.Arbitrary<Transaction> = fc.record({
  coin: fc.constantFrom('BTC', 'BTC', 'BTC', 'BCH'),
  txid: fc.constantFrom('t1', 't2', 't3', 't4', 't5'),
  amount: fc.bigInt({ min: 0n, max: DUE }),
  test: fc.constantFrom(false, false, true),
});

function observationArb(transactions: readonly Transaction[], kinds: readonly ObservationKind[]): fc.Arbitrary<PaymentObservation> {
  return fc
    .record({
      tx: fc.constantFrom(...transactions),
      kind: fc.constantFrom(...kinds),
      confirmations: fc.option(fc.nat(6), { nil: null }),
      rbf: fc.boolean(),
    })
    .map(({ tx, kind, confirmations, rbf }) => ({ ...tx, address: ADDRESS, kind, confirmations, rbf }));
}

/** Transactions unique by (coin, txid), so each identity has one amount and test flag. */
const transactionsArb = fc.uniqueArray(transactionArb, { minLength: 1, maxLength: 6, selector: (tx) => `${tx.coin}:${tx.txid}` });

const policyArb = fc.record({
  tolerancePercent: fc.constantFrom('0', '0', '1', '50', '100'),
  allowTestPayments: fc.boolean(),
});

const keyOf = (payment: Pick<Payment, 'coin' | 'txid' | 'address'>) => JSON.stringify([payment.coin, payment.txid, payment.address]);
const RANK: Record<PaymentState, number> = { pending: 0, reverted: 1, confirmed: 2 };
const STATE: Record<ObservationKind, PaymentState> = { seen: 'pending', reverted: 'reverted', confirmed: 'confirmed' };

/**
 * An independent model of the ledger: per payment, the highest state, the highest known confirmation
 * count and whether RBF was ever signalled. RBF makes a payment unsafe only while it has no
 * confirmation at all: a mined transaction can no longer be replaced.
 */
class LedgerModel {
  private readonly payments = new Map<
    string,
    { observation: PaymentObservation; state: PaymentState; confirmations: number | null; rbfSignalled: boolean }
  >();

  record(observation: PaymentObservation): void {
    const known = this.payments.get(keyOf(observation));
    const state = known && RANK[known.state] >= RANK[STATE[observation.kind]] ? known.state : STATE[observation.kind];
    const confirmations = [known?.confirmations ?? null, observation.confirmations].reduce<number | null>(
      (high, each) => (each === null ? high : Math.max(high ?? 0, each)),
      null,
    );
    const rbfSignalled = (known?.rbfSignalled ?? false) || observation.rbf;
    this.payments.set(keyOf(observation), { observation, state, confirmations, rbfSignalled });
  }

  /** Whether the payment is still a replaceable RBF transaction. */
  replaceable(key: string): boolean {
    const payment = this.payments.get(key);
    return payment !== undefined && payment.rbfSignalled && payment.state !== 'confirmed' && !payment.confirmations;
  }

  keys(): string[] {
    return [...this.payments.keys()].sort();
  }

  stateOf(key: string): PaymentState | undefined {
    return this.payments.get(key)?.state;
  }

  confirmationsOf(key: string): number | null | undefined {
    return this.payments.get(key)?.confirmations;
  }

  /** Sum of the distinct counted payments, optionally only the confirmed ones. */
  counted(invoice: Invoice, onlyConfirmed: boolean): bigint {
    let total = 0n;
    for (const [key, { observation, state }] of this.payments) {
      const counts =
        observation.coin === invoice.coin &&
        state !== 'reverted' &&
        !this.replaceable(key) &&
        (!observation.test || invoice.policy.allowTestPayments) &&
        (!onlyConfirmed || state === 'confirmed');
      if (counts) total += observation.amount;
    }
    return total;
  }
}

type Step = { readonly observation: PaymentObservation; readonly minutes: number } | { readonly clock: true; readonly minutes: number };

/** Random histories: duplicates, shuffled states, late lower states, reverts and sweeps, over the whole life of an invoice. */
const historyArb = fc
  .tuple(transactionsArb, policyArb)
  .chain(([transactions, policy]) =>
    fc.record({
      policy: fc.constant(policy),
      steps: fc
        .array(
          fc.oneof(
            { weight: 5, arbitrary: observationArb(transactions, ['seen', 'confirmed', 'reverted']).map((observation) => ({ observation })) },
            { weight: 1, arbitrary: fc.constant({ clock: true as const }) },
          ),
          { maxLength: 30 },
        )
        .chain((actions) =>
          fc
            .array(fc.integer({ min: 0, max: 15 + 24 * 60 + 30 }), { minLength: actions.length, maxLength: actions.length })
            .map((minutes) => minutes.sort((a, b) => a - b).map((minute, i): Step => ({ ...actions[i]!, minutes: minute }))),
        ),
    }),
  );

function step(invoice: Invoice, each: Step): InvoiceChange {
  return 'clock' in each ? applyClock(invoice, at(each.minutes)) : applyObservation(invoice, each.observation, at(each.minutes));
}

describe('properties: any history of observations', () => {
  it('never double-counts, never loses a payment, never un-settles, and versions every change', () => {
    fc.assert(
      fc.property(historyArb, ({ policy, steps }) => {
        let invoice = openInvoice(policy);
        const model = new LedgerModel();
        for (const each of steps) {
          const change = step(invoice, each);
          if ('observation' in each) model.record(each.observation);

          if (change.invoice === invoice) expect(change.events).toEqual([]);
          else {
            expect(change.invoice.version).toBe(invoice.version + 1);
            expect(change.events.length).toBeGreaterThan(0);
          }
          if (invoice.status === 'settled') expect(change.invoice.status).toBe('settled');
          invoice = change.invoice;

          expect(invoice.payments.map(keyOf).sort()).toEqual(model.keys());
          for (const payment of invoice.payments) {
            expect(payment.state).toBe(model.stateOf(keyOf(payment)));
            expect(payment.confirmations).toBe(model.confirmationsOf(keyOf(payment)));
            expect(payment.rbf).toBe(model.replaceable(keyOf(payment)));
          }
          expect(amountPaid(invoice)).toBe(model.counted(invoice, false));
          expect(amountConfirmed(invoice)).toBe(model.counted(invoice, true));
          if (invoice.status === 'processing') expect(amountPaid(invoice) >= paymentThreshold(invoice)).toBe(true);
          if (invoice.status === 'settled') expect(amountConfirmed(invoice) >= paymentThreshold(invoice)).toBe(true);
        }
        const last = steps.at(-1);
        if (last) expect(step(invoice, last).invoice).toBe(invoice); // re-applying changes nothing
      }),
      { numRuns: 500 },
    );
  });
});

/** A set of observations, one order of it, and another order of the same set, all applied at one moment. */
function permutationsArb(kinds: readonly ObservationKind[]) {
  return fc.tuple(transactionsArb, policyArb, fc.constantFrom(BEFORE_EXPIRY, AFTER_EXPIRY, AFTER_MONITORING)).chain(([transactions, policy, now]) =>
    fc.array(observationArb(transactions, kinds), { maxLength: 20 }).chain((observations) =>
      fc.record({
        policy: fc.constant(policy),
        now: fc.constant(now),
        observations: fc.constant(observations),
        shuffled: fc.shuffledSubarray(observations, { minLength: observations.length, maxLength: observations.length }),
      }),
    ),
  );
}

function outcome(invoice: Invoice) {
  return {
    payments: [...invoice.payments].sort((a, b) => keyOf(a).localeCompare(keyOf(b))),
    status: invoice.status,
    exceptionStatus: invoice.exceptionStatus,
    amountPaid: amountPaid(invoice),
    amountConfirmed: amountConfirmed(invoice),
  };
}

describe('properties: order does not matter', () => {
  it('gives the same ledger and status for any order of the same seen/confirmed observations', () => {
    fc.assert(
      fc.property(permutationsArb(['seen', 'confirmed']), ({ policy, now, observations, shuffled }) => {
        const invoice = openInvoice(policy);
        expect(outcome(applyAll(invoice, shuffled, now).invoice)).toEqual(outcome(applyAll(invoice, observations, now).invoice));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same ledger and status for any order even with reverts, at one moment', () => {
    fc.assert(
      fc.property(permutationsArb(['seen', 'confirmed', 'reverted']), ({ policy, now, observations, shuffled }) => {
        const invoice = openInvoice(policy);
        expect(outcome(applyAll(invoice, shuffled, now).invoice)).toEqual(outcome(applyAll(invoice, observations, now).invoice));
      }),
      { numRuns: 500 },
    );
  });
});
