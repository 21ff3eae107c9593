import { expect } from '@jest/globals';
import { type Acknowledgement } from '../contract/acknowledgement.js';
import { type TamperedCallback } from './harness.js';
import { type PipelineStage, type ProcessedCallback } from './pipeline.js';
import { type PaidInvoice, type SuiteContext } from './suite-context.js';

export function expectSuccessAck(ack: Acknowledgement): void {
  expect(ack.status).toBeGreaterThanOrEqual(200);
  expect(ack.status).toBeLessThan(300);
  expectWellFormedAck(ack);
}

export function expectFailureAck(ack: Acknowledgement, allowed: readonly number[]): void {
  expect(allowed).toContain(ack.status);
  expectWellFormedAck(ack);
}

function expectWellFormedAck(ack: Acknowledgement): void {
  expect(Number.isInteger(ack.status)).toBe(true);
  expect(ack.contentType).toMatch(/^[a-z]+\/[a-z0-9.+-]+/i);
  expect(typeof ack.body).toBe('string');
}

/** Every delivery of a genuine payment reached the ledger, normalized into exactly what was paid. */
export function expectNormalizedDeliveries(paid: PaidInvoice, coin: string): void {
  expect(paid.deliveries.length).toBeGreaterThan(0);
  for (const delivery of paid.deliveries) {
    expect(delivery.stage).toBe('apply');
    expect(delivery.invoiceId).toBe(paid.invoice.id);
    expect(delivery.notification?.observation).toMatchObject({
      coin,
      address: paid.request.address,
      txid: paid.txid,
      amount: paid.amount,
      rbf: false,
      test: false,
    });
    expectSuccessAck(delivery.acknowledgement);
  }
}

/** Each tampered callback is refused at one of `stages` with one of `statuses`, and nothing is applied. */
export async function expectAllRejected(
  suite: SuiteContext,
  tampered: readonly TamperedCallback[],
  statuses: readonly number[],
  stages: readonly PipelineStage[],
): Promise<void> {
  expect(tampered.length).toBeGreaterThan(0);
  for (const { name, callback } of tampered) {
    const processed = await suite.process(callback);
    const status = processed.outcome.kind === 'rejected' ? processed.outcome.status : null;
    // The case name is part of each comparison, so a failure says which tampering got through.
    expect({ name, kind: processed.outcome.kind, stageAllowed: stages.includes(processed.stage) }).toEqual({ name, kind: 'rejected', stageAllowed: true });
    expect({ name, statusAllowed: status !== null && statuses.includes(status) }).toEqual({ name, statusAllowed: true });
    expectFailureAck(processed.acknowledgement, [400, 401, 403]);
  }
}

export function confirmationsOf(deliveries: readonly ProcessedCallback[]): number[] {
  return deliveries.flatMap((d) => (d.notification?.observation.confirmations == null ? [] : [d.notification.observation.confirmations]));
}
