import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { createInvoice, DEFAULT_INVOICE_POLICY } from '@cryptopay/invoice';
import { eventually, RecordingLogger, testDatabaseUrl } from '@cryptopay/test-servers';
import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import pg from 'pg';
import { ExpirySweep, PaymentsMetrics } from '../src/index.js';
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

  /** `count` unpaid invoices opened at `openedAt`, stored as the invoice API stores them; their ids. */
  async function openInvoices(count: number, openedAt = OPENED_AT): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const id = randomUUID();
      const fields = { id, provider: 'testpay', coin: 'BTC', orderId: `sweep-${i}`, fiat: { currency: 'USD', minor: 2500n }, rate: '50000.00' };
      const { invoice } = createInvoice({ ...fields, amountDue: 50_000n, address: `sweep-addr-${id}` }, DEFAULT_INVOICE_POLICY, openedAt);
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
    expect((await harness.app.get(PaymentsMetrics).sweptInvoices.get()).values.map(({ value }) => value)).toEqual([250]);
    expect(expired.sort()).toEqual([...ids].sort());
    const statuses = await Promise.all(ids.map(async (id) => (await harness!.store.invoices.findById(id))?.status));
    expect(new Set(statuses)).toEqual(new Set(['expired']));
    expect(await sweep.sweep(AFTER_EXPIRY)).toBe(0); // nothing is due any more
  });

  /** Makes the given invoices due for a time check at OPENED_AT, although nothing changes for them then (as after a clock step back). */
  async function dueEarly(ids: readonly string[]): Promise<void> {
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      await client.query(`update ${harness!.schema!}.invoices set next_time_check_at = $1 where id = any($2)`, [OPENED_AT, ids]);
    } finally {
      await client.end();
    }
  }

  it('stops after a full batch that changed nothing, leaving the rest for the next tick instead of claiming it again', async () => {
    harness = await startPaymentsApp({ databaseUrl: testDatabaseUrl() });
    await dueEarly(await openInvoices(150));
    expect(await harness.app.get(ExpirySweep).sweep(new Date(OPENED_AT.getTime() + 60_000))).toBe(100);
  });

  it('claims a batch smaller than 100 once: those of it that did not change wait for the next tick', async () => {
    harness = await startPaymentsApp({ databaseUrl: testDatabaseUrl() });
    await openInvoices(10);
    // Opened 5 minutes later: not expired at AFTER_EXPIRY, but made due then.
    await dueEarly(await openInvoices(5, new Date(OPENED_AT.getTime() + 5 * 60_000)));
    expect(await harness.app.get(ExpirySweep).sweep(AFTER_EXPIRY)).toBe(15);
  });

  it('writes the webhook event of each invoice it expires in the same change', async () => {
    harness = await startPaymentsApp();
    const endpoint = await harness.store.webhooks.createEndpoint({ id: 'we_sweep', merchantId: 'default', url: 'https://hooks.example.test/sweep', events: null, description: null, secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` });
    const [id] = await openInvoices(1);
    expect(await harness.app.get(ExpirySweep).sweep(AFTER_EXPIRY)).toBe(1);
    const { deliveries } = await harness.store.webhooks.deliveries({ merchantId: 'default', invoiceId: id!, limit: 10 });
    expect(deliveries.map((delivery) => [delivery.endpointId, delivery.type])).toEqual([[endpoint.id, 'invoice.expired']]);
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

  describe('on its timer', () => {
    /** A sweeper whose store is never reached: `sweep` is replaced by the test. */
    const sweeperEvery = (sweepIntervalMs: number) => new ExpirySweep({} as never, {} as never, {} as never, { sweepIntervalMs } as ConstructorParameters<typeof ExpirySweep>[3]);

    afterEach(() => {
      jest.useRealTimers();
      Logger.overrideLogger(false);
    });

    it('never sweeps with sweepIntervalMs 0', async () => {
      jest.useFakeTimers();
      const sweeper = sweeperEvery(0);
      const sweeps = jest.spyOn(sweeper, 'sweep').mockResolvedValue(0);
      sweeper.onApplicationBootstrap();
      jest.advanceTimersByTime(60_000);
      expect(sweeps).not.toHaveBeenCalled();
      await sweeper.beforeApplicationShutdown();
    });

    it('sweeps on every tick, and on none after shutdown', async () => {
      jest.useFakeTimers();
      const sweeper = sweeperEvery(1_000);
      const sweeps = jest.spyOn(sweeper, 'sweep').mockResolvedValue(0);
      sweeper.onApplicationBootstrap();
      jest.advanceTimersByTime(1_000);
      expect(sweeps).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(sweeps).toHaveBeenCalledTimes(2);
      await sweeper.beforeApplicationShutdown();
      await jest.advanceTimersByTimeAsync(10_000);
      expect(sweeps).toHaveBeenCalledTimes(2);
    });

    it('finishes the running sweep before shutdown completes', async () => {
      const sweeper = sweeperEvery(5);
      const order: string[] = [];
      let unblock!: () => void;
      const unblocked = new Promise<void>((resolve) => (unblock = resolve));
      jest.spyOn(sweeper, 'sweep').mockImplementation(async () => {
        order.push('sweep started');
        await unblocked;
        order.push('sweep ended');
        return 0;
      });
      sweeper.onApplicationBootstrap();
      await eventually(() => order.length === 1, 'the first tick to start a sweep');
      const closed = sweeper.beforeApplicationShutdown().then(() => order.push('shut down'));
      unblock();
      await closed;
      expect(order).toEqual(['sweep started', 'sweep ended', 'shut down']);
    });

    it('warns when a sweep fails, and sweeps again on the next tick', async () => {
      const logger = new RecordingLogger();
      Logger.overrideLogger(logger);
      const sweeper = sweeperEvery(5);
      const sweeps = jest.spyOn(sweeper, 'sweep').mockRejectedValueOnce(new Error('the database is down')).mockResolvedValue(0);
      sweeper.onApplicationBootstrap();
      try {
        await eventually(() => sweeps.mock.calls.length >= 2, 'a second sweep after the failed one');
      } finally {
        await sweeper.beforeApplicationShutdown();
      }
      expect(logger.at('warn')).toEqual(['ExpirySweep expiry sweep failed, retrying next tick: Error: the database is down']);
    });
  });
});
