import { beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, testDatabaseUrl, testRedisUrl } from '@cryptopay/test-servers';
import request from 'supertest';
import { PaymentsMetrics, Reconciler } from '../src/index.js';
import { AUTH, usePaymentsApp } from './support/payments-app.js';
import { TEST_SECRET, TestPayAdapter } from './support/test-provider.js';

const MINUTE = 60_000;

describe('reconciliation over PostgreSQL and Redis', () => {
  const harness = usePaymentsApp({ databaseUrl: testDatabaseUrl(), redisUrl: testRedisUrl() });
  let provider: TestPayAdapter;
  let txids = 0;

  beforeAll(async () => {
    provider = harness().app.get(TestPayAdapter);
  });

  const http = () => request(harness().app.getHttpServer());

  async function newInvoice(provider = 'testpay'): Promise<{ id: string; address: string; createdAt: string }> {
    const res = await http().post('/v1/invoices').set(AUTH).send({ provider, amount: '25.00', currency: 'USD', orderId: `order-${(txids += 1)}` });
    expect(res.status).toBe(201);
    return res.body as { id: string; address: string; createdAt: string };
  }

  /** The provider records a confirmed payment of the whole amount (0.0005 BTC) that no callback delivers. */
  function recordPayment(address: string): { txid: string; callback: Record<string, string> } {
    const txid = `tx-reconcile-${(txids += 1)}`;
    provider.history.set(address, [{ txid, amount: 50_000n, kind: 'confirmed', confirmations: 2, rbf: false, test: false }]);
    return { txid, callback: { secret: TEST_SECRET, addr: address, txid, value: '50000', status: '2' } };
  }

  const reconcile = (id: string) => http().post(`/v1/invoices/${id}/reconcile`).set(AUTH);
  const callback = (query: Record<string, string>) => http().get(`/v1/callbacks/testpay?${new URLSearchParams(query).toString()}`);
  const invoice = async (id: string) => (await http().get(`/v1/invoices/${id}`).set(AUTH)).body as { status: string; payments: unknown[]; version: number };
  const found = async () => (await harness().app.get(PaymentsMetrics).paymentsFoundByReconciliation.get()).values.find((value) => value.labels.provider === 'testpay')?.value ?? 0;

  it('settles an invoice whose callbacks were dropped, logs it with source reconcile and counts it as found by reconciliation', async () => {
    const created = await newInvoice();
    recordPayment(created.address);
    const before = await found();

    const res = await reconcile(created.id);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ changed: 1, observed: 1, invoice: { id: created.id, status: 'settled', amountConfirmed: '0.0005' } });
    expect(await found()).toBe(before + 1);
    const log = await http().get(`/v1/deliveries?invoiceId=${created.id}`).set(AUTH);
    expect(log.body.deliveries).toEqual([expect.objectContaining({ source: 'reconcile', verdict: 'applied', method: 'RECONCILE', invoiceId: created.id })]);
  });

  it('reconciled first, the callback changes nothing; reconciled again, nothing either', async () => {
    const created = await newInvoice();
    const { callback: delivered } = recordPayment(created.address);
    expect((await reconcile(created.id)).body).toMatchObject({ changed: 1 });
    const settled = await invoice(created.id);

    expect((await callback(delivered)).status).toBe(200);
    expect((await reconcile(created.id)).body).toMatchObject({ changed: 0, observed: 1 });

    const after = await invoice(created.id);
    expect(after).toEqual(settled);
    expect(after.payments).toHaveLength(1);
  });

  it('delivered first, reconciliation changes nothing and counts nothing as found', async () => {
    const created = await newInvoice();
    const { callback: delivered } = recordPayment(created.address);
    expect((await callback(delivered)).status).toBe(200);
    const before = await found();

    expect((await reconcile(created.id)).body).toMatchObject({ changed: 0, invoice: { status: 'settled' } });
    expect(await found()).toBe(before);
  });

  it('reconciliation and the callback at once count the payment once', async () => {
    const created = await newInvoice();
    const { callback: delivered } = recordPayment(created.address);

    const [reconciled, called] = await Promise.all([reconcile(created.id), callback(delivered)]);

    expect([reconciled.status, called.status]).toEqual([200, 200]);
    const after = await invoice(created.id);
    expect(after).toMatchObject({ status: 'settled', payments: [expect.objectContaining({ amount: '0.0005' })] });
    expect(after.payments).toHaveLength(1);
  });

  it('answers 503 when the provider is down, and changes nothing', async () => {
    const created = await newInvoice();
    recordPayment(created.address);
    provider.historyDown = true;
    try {
      const res = await reconcile(created.id);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ provider: 'testpay', kind: 'unavailable' });
      expect(await invoice(created.id)).toMatchObject({ status: 'new', payments: [] });
    } finally {
      provider.historyDown = false;
    }
  });

  it('answers 422 for a provider that cannot reconcile, and 404 for no invoice', async () => {
    const created = await newInvoice('noncepay');
    const res = await reconcile(created.id);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ message: expect.stringContaining('provider "noncepay" cannot reconcile') });
    expect((await reconcile('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('needs the API token', async () => {
    const created = await newInvoice();
    expect((await http().post(`/v1/invoices/${created.id}/reconcile`)).status).toBe(401);
  });

  describe('the scheduled reconciler', () => {
    it('reconciles an invoice when its first scheduled time comes, then schedules the next', async () => {
      const created = await newInvoice();
      recordPayment(created.address);
      const createdAt = new Date(created.createdAt).getTime();
      const reconciler = harness().app.get(Reconciler);
      const nextAt = async () => harness().store.reconciliations.nextAt(created.id);
      expect(await nextAt()).toEqual(new Date(createdAt + 2 * MINUTE));

      await reconciler.reconcileDue(new Date(createdAt + MINUTE));
      expect(await invoice(created.id)).toMatchObject({ status: 'new' });

      const pass = await reconciler.reconcileDue(new Date(createdAt + 3 * MINUTE));
      expect(pass.changed).toBeGreaterThanOrEqual(1);
      expect(await invoice(created.id)).toMatchObject({ status: 'settled' });
      // Settled: nothing a provider reports changes it any more.
      expect(await nextAt()).toBeNull();
    });

    it('keeps looking on schedule while nothing is paid, and retries a provider that is down sooner', async () => {
      const created = await newInvoice();
      const createdAt = new Date(created.createdAt).getTime();
      const reconciler = harness().app.get(Reconciler);
      const nextAt = async () => harness().store.reconciliations.nextAt(created.id);

      await reconciler.reconcileDue(new Date(createdAt + 3 * MINUTE));
      expect(await nextAt()).toEqual(new Date(createdAt + 5 * MINUTE));

      provider.historyDown = true;
      try {
        const pass = await reconciler.reconcileDue(new Date(createdAt + 6 * MINUTE));
        expect(pass.failed).toBeGreaterThanOrEqual(1);
        expect(await nextAt()).toEqual(new Date(createdAt + 7 * MINUTE));
        expect(await invoice(created.id)).toMatchObject({ status: 'new', payments: [] });
      } finally {
        provider.historyDown = false;
      }
    });

    it('brings an invoice forward when an authentic callback for it is refused', async () => {
      const created = await newInvoice();
      const createdAt = new Date(created.createdAt).getTime();
      await harness().store.reconciliations.schedule(created.id, new Date(createdAt + 60 * MINUTE));

      // Another coin than the invoice's: refused by the binding policy, nothing changes.
      const refused = await callback({ secret: TEST_SECRET, addr: created.address, txid: 'tx-wrong-coin', value: '50000', status: '2', coin: 'BCH' });
      expect(refused.status).toBe(403);

      // Brought forward off the response path: the callback's answer does not wait for it.
      await eventually(async () => ((await harness().store.reconciliations.nextAt(created.id))?.getTime() ?? Infinity) < createdAt + 60 * MINUTE, 'the reconciliation brought forward');
      expect(await invoice(created.id)).toMatchObject({ status: 'new', payments: [] });
    });
  });
});
