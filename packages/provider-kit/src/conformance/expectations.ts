import { expect } from '@jest/globals';
import { type Acknowledgement } from '../contract/acknowledgement.js';
import { type ProcessedCallback } from './pipeline.js';
import { type PaidInvoice } from './suite-context.js';

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

export function expectRejectedBefore(processed: ProcessedCallback, statuses: readonly number[], stages: readonly string[]): void {
  expect(stages).toContain(processed.stage);
  expect(processed.outcome.kind).toBe('rejected');
  if (processed.outcome.kind === 'rejected') expect(statuses).toContain(processed.outcome.status);
  expectFailureAck(processed.acknowledgement, [400, 401, 403]);
}

export function confirmationsOf(deliveries: readonly ProcessedCallback[]): number[] {
  return deliveries.flatMap((d) => (d.notification?.observation.confirmations == null ? [] : [d.notification.observation.confirmations]));
}
