import { type Acknowledgement, isIgnored, type PipelineStage } from '@cryptopay/provider-kit';
import { check, describeDeliveries, describeDelivery } from './explain.js';
import { type TamperedCallback } from './harness.js';
import { type ProcessedCallback } from './pipeline.js';
import { type PaidInvoice, type SuiteContext } from './suite-context.js';

export function expectSuccessAck(ack: Acknowledgement, what = 'the acknowledgement'): void {
  check(ack.status >= 200 && ack.status < 300, () => `${what} must be a success (2xx) so the provider stops retrying, but it is ${ack.status}`);
  expectWellFormedAck(ack, what);
}

export function expectFailureAck(ack: Acknowledgement, allowed: readonly number[], what = 'the acknowledgement'): void {
  check(allowed.includes(ack.status), () => `${what} must answer ${allowed.join(' or ')}, but it is ${ack.status}`);
  expectWellFormedAck(ack, what);
}

function expectWellFormedAck(ack: Acknowledgement, what: string): void {
  check(Number.isInteger(ack.status), () => `${what} has status ${ack.status}, not a whole number`);
  check(/^[a-z]+\/[a-z0-9.+-]+/i.test(ack.contentType), () => `${what} has content type ${JSON.stringify(ack.contentType)}, not a media type`);
  check(typeof ack.body === 'string', () => `${what} has a body of type ${typeof ack.body}, not text`);
}

/** An authentic notification the adapter parsed as one that must change nothing. */
export function isIgnoredDelivery(delivery: ProcessedCallback): boolean {
  return delivery.stage === 'parse' && delivery.notification !== null && isIgnored(delivery.notification);
}

/** The deliveries that reported the payment (not the ignored ones); fails, saying what came, when there are none. */
export function paymentDeliveries(paid: PaidInvoice, suite: SuiteContext): ProcessedCallback[] {
  const reported = paid.deliveries.filter((delivery) => !isIgnoredDelivery(delivery));
  check(reported.length > 0, () => `${paying(paid)} delivered no callback reporting it. ${received(paid, suite)}`);
  return reported;
}

/**
 * Every delivery of a genuine payment was applied to its invoice, normalized into exactly what was
 * paid; ignored notifications among them are acknowledged with success and applied nowhere.
 */
export function expectNormalizedDeliveries(paid: PaidInvoice, suite: SuiteContext): void {
  const coin = suite.coin.code;
  for (const delivery of paymentDeliveries(paid, suite)) {
    const what = () => `${paying(paid)}: ${describeDelivery(delivery, suite.adapter.secrets)}`;
    check(delivery.stage === 'apply' && delivery.invoiceId === paid.invoice.id, () => `${what()} — every delivery of a genuine payment must be applied to its invoice`);
    const observation = delivery.observation;
    const expected = { coin, address: paid.request.address, txid: paid.txid, amount: paid.amount, rbf: false, test: false };
    const actual = observation && { coin: observation.coin, address: observation.address, txid: observation.txid, amount: observation.amount, rbf: observation.rbf, test: observation.test };
    check(
      actual !== null && Object.entries(expected).every(([key, value]) => actual[key as keyof typeof actual] === value),
      () => `${what()} — normalized into ${show(actual)}, but the payment was ${show(expected)}`,
    );
    expectSuccessAck(delivery.acknowledgement, `the acknowledgement of ${describeDelivery(delivery, suite.adapter.secrets)}`);
  }
  for (const delivery of paid.deliveries.filter(isIgnoredDelivery)) {
    expectSuccessAck(delivery.acknowledgement, `the acknowledgement of ${describeDelivery(delivery, suite.adapter.secrets)}`);
  }
}

/** Each tampered callback is refused at one of `stages` with one of `statuses`, and nothing is applied. */
export async function expectAllRejected(
  suite: SuiteContext,
  tampered: readonly TamperedCallback[],
  statuses: readonly number[],
  stages: readonly PipelineStage[],
  kind: string,
): Promise<void> {
  check(tampered.length > 0, () => `the harness made no ${kind} callbacks to try`);
  for (const { name, callback } of tampered) {
    const processed = await suite.process(callback);
    const { outcome, stage } = processed;
    check(
      outcome.kind === 'rejected' && stages.includes(stage) && statuses.includes(outcome.status),
      () => `${kind} callback "${name}" must be refused with ${statuses.join('/')} at ${stages.join(' or ')}, but it was ${describeDelivery(processed, suite.adapter.secrets)}`,
    );
    expectFailureAck(processed.acknowledgement, [400, 401, 403], `the acknowledgement of ${kind} callback "${name}"`);
  }
}

export function confirmationsOf(deliveries: readonly ProcessedCallback[]): number[] {
  return deliveries.flatMap((delivery) => (delivery.observation?.confirmations == null ? [] : [delivery.observation.confirmations]));
}

function paying(paid: PaidInvoice): string {
  return `paying invoice ${paid.invoice.id} (address ${paid.request.address}, txid ${paid.txid}, ${paid.amount} base units)`;
}

function received(paid: PaidInvoice, suite: SuiteContext): string {
  const ignored = paid.deliveries.filter(isIgnoredDelivery);
  const mentioning = ignored.length > 0 ? `Callbacks mentioning the txid, all ignored: ${describeDeliveries(ignored, suite.adapter.secrets)}\n` : '';
  return `${mentioning}Callbacks the receiver got while paying: ${describeDeliveries(paid.duringPayment, suite.adapter.secrets)}`;
}

/** Bigints as `123n`: JSON cannot show them. */
function show(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item));
}
