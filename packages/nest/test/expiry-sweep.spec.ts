import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { createInvoice, DEFAULT_INVOICE_POLICY } from '@cryptopay/invoice';
import { eventually } from '@cryptopay/test-servers';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ExpirySweep } from '../src/index.js';
import { type PaymentsTestApp, startPaymentsApp } from './support/payments-app.js';

const OPENED_AT = new Date('2026-01-01T00:00:00Z');
/** Past the default 15 minutes of every invoice opened at OPENED_AT. */
const AFTER_EXPIRY = new Date(OPENED_AT.getTime() + 16 * 60_000);

describe('the expiry sweep', () => {
  let harness: PaymentsTestApp | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    jest.restoreAllMocks();
  });

  /** `count` unpaid invoices opened at OPENED_AT, stored as the invoice API stores them; their ids. */
  async function openInvoices(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const id = randomUUID();
      const fields = { id, provider: 'testpay', coin: 'BTC', orderId: `sweep-${i}`, fiat: { currency: 'USD', minor: 2500n }, rate: '50000.00' };
      const { invoice } = createInvoice({ ...fields, amountDue: 50_000n, address: `sweep-addr-${id}` }, DEFAULT_INVOICE_POLICY, OPENED_AT);
      await harness!.store.invoices.create(invoice);
      ids.push(id);
    }
    return ids;
  }

  it('expires every due invoice, batch after batch (more than one batch of 100 due), and publishes each expiry once', async () => {
    harness = await startPaymentsApp();
    const ids = await openInvoices(250);
    const expired: string[] = [];
    harness.app.get(EventEmitter2).on('invoice.expired', (event: { invoiceId: string }) => expired.push(event.invoiceId));
    const sweep = harness.app.get(ExpirySweep);

    expect(await sweep.sweep(AFTER_EXPIRY)).toBe(250);
    expect(expired.sort()).toEqual([...ids].sort());
    const statuses = await Promise.all(ids.map(async (id) => (await harness!.store.invoices.findById(id))?.status));
    expect(new Set(statuses)).toEqual(new Set(['expired']));
    expect(await sweep.sweep(AFTER_EXPIRY)).toBe(0); // nothing is due any more
  });

  it('claims nothing before the invoices are due', async () => {
    harness = await startPaymentsApp();
    await openInvoices(3);
    expect(await harness.app.get(ExpirySweep).sweep(new Date(OPENED_AT.getTime() + 14 * 60_000))).toBe(0);
  });

  it('starts no sweep while the previous one is still running, and the next tick after it ends sweeps again', async () => {
    // Only the timer is under test: the sweep itself is held open by the test, so nothing else is needed.
    const options = { sweepIntervalMs: 5 } as ConstructorParameters<typeof ExpirySweep>[3];
    const sweeper = new ExpirySweep({} as never, {} as never, {} as never, options);
    const ticks = jest.spyOn(sweeper as unknown as { tick(): void }, 'tick');
    let unblock!: () => void;
    const unblocked = new Promise<void>((resolve) => (unblock = resolve));
    let sweeps = 0;
    jest.spyOn(sweeper, 'sweep').mockImplementation(async () => {
      sweeps += 1;
      await unblocked;
      return 0;
    });
    sweeper.onApplicationBootstrap();
    try {
      await eventually(() => sweeps === 1, 'the first tick to start a sweep');
      const ticksThen = ticks.mock.calls.length;
      await eventually(() => ticks.mock.calls.length >= ticksThen + 3, 'three more ticks while that sweep runs');
      expect(sweeps).toBe(1);
      unblock();
      await eventually(() => sweeps >= 2, 'a tick after the sweep ended to start the next one');
    } finally {
      unblock();
      await sweeper.beforeApplicationShutdown();
    }
  });
});
