import { type Fleet } from './fleet.js';
import { type PlannedInvoice } from './payment-plan.js';

/** What the gateways made of a payment plan, measured against it. */
export interface Outcome {
  readonly invoices: number;
  readonly transactions: number;
  /** Planned payments missing from the ledger, or not confirmed. */
  readonly lost: string[];
  /** Ledger rows beyond the plan, or with another amount. */
  readonly doubleCounted: string[];
  /** Invoices not in the state their payments imply. */
  readonly wrongState: string[];
  /** Deliveries the simulators gave up on (never acknowledged). */
  readonly undelivered: number;
  /** Callback requests the simulators sent, first attempts and retries. */
  readonly attempts: number;
  readonly answers: Record<string, number>;
}

export async function judgeOutcome(fleet: Fleet, plans: readonly PlannedInvoice[]): Promise<Outcome> {
  const [invoices, payments] = await Promise.all([fleet.ledger.invoices(), fleet.ledger.payments()]);
  const stored = new Map(invoices.map((invoice) => [invoice.id, invoice]));
  const ledger = new Map<string, string>();
  for (const payment of payments) ledger.set(`${payment.invoiceId} ${payment.txid}`, `${payment.amount} ${payment.state}`);
  const lost: string[] = [];
  const doubleCounted: string[] = [];
  const wrongState: string[] = [];
  let planned = 0;
  for (const plan of plans) {
    for (const { txid, value } of plan.transactions) {
      planned += 1;
      const row = ledger.get(`${plan.invoice.id} ${txid}`);
      if (row === undefined || !row.endsWith(' confirmed')) lost.push(`${plan.invoice.id} ${txid}: ${row ?? 'missing'}`);
      else if (row !== `${value} confirmed`) doubleCounted.push(`${plan.invoice.id} ${txid}: ${row}, planned ${value}`);
    }
    const invoice = stored.get(plan.invoice.id);
    if (invoice?.status !== plan.expected.status || invoice.exceptionStatus !== plan.expected.exceptionStatus) {
      wrongState.push(`${plan.invoice.id} (${plan.kind}): ${invoice?.status}/${invoice?.exceptionStatus}, expected ${plan.expected.status}/${plan.expected.exceptionStatus}`);
    }
  }
  if (payments.length > planned) doubleCounted.push(`${payments.length - planned} ledger rows beyond the ${planned} planned`);
  return { invoices: plans.length, transactions: planned, lost, doubleCounted, wrongState, ...deliveryFigures(fleet) };
}

function deliveryFigures(fleet: Fleet): Pick<Outcome, 'undelivered' | 'attempts' | 'answers'> {
  const answers: Record<string, number> = {};
  const count = (status: number | null): void => void (answers[String(status ?? 'no answer')] = (answers[String(status ?? 'no answer')] ?? 0) + 1);
  let undelivered = 0;
  let attempts = 0;
  for (const record of fleet.simulators.blockonomics.deliveries) {
    if (!record.delivered) undelivered += 1;
    for (const attempt of record.attempts) {
      attempts += 1;
      count(attempt.httpStatus);
    }
  }
  for (const address of fleet.simulators.blockbee.ledger.addresses()) {
    for (const transaction of address.transactions) {
      for (const pending of [true, false]) {
        const tries = transaction.attempts.filter((attempt) => attempt.pending === pending);
        if (tries.length > 0 && !tries.some((attempt) => attempt.responseStatus === 200 && attempt.response === '*ok*')) undelivered += 1;
      }
      for (const attempt of transaction.attempts) {
        attempts += 1;
        count(attempt.responseStatus);
      }
    }
  }
  return { undelivered, attempts, answers };
}

/** The outcome as lines a person reads in the test output. */
export function describeOutcome(title: string, outcome: Outcome, extra: Record<string, unknown> = {}): string {
  const lines = [
    `${title}`,
    `  invoices ${outcome.invoices}, payments planned ${outcome.transactions}`,
    `  callback requests sent ${outcome.attempts} (answers: ${Object.entries(outcome.answers).map(([status, n]) => `${status}×${n}`).join(', ')})`,
    `  lost ${outcome.lost.length}, double-counted ${outcome.doubleCounted.length}, wrong state ${outcome.wrongState.length}, undelivered ${outcome.undelivered}`,
    ...Object.entries(extra).map(([name, value]) => `  ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`),
  ];
  return lines.join('\n');
}
