import { randomUUID } from 'node:crypto';
import { type Fingerprint, fingerprintOf, IDEMPOTENCY_STORE, IdempotencyKey, type IdempotencyStore } from '@cryptopay/idempotency';
import { describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { PaymentsMetrics } from '../src/index.js';
import { testRedisUrl } from '@cryptopay/test-servers';
import { API_TOKEN, DATABASES, usePaymentsApp } from './support/payments-app.js';
import { TEST_SECRET, TestPayAdapter } from './support/test-provider.js';

const REDIS_URL = testRedisUrl();

describe.each(DATABASES)('callback pipeline over %s', (_name, databaseUrl) => {
  const harness = usePaymentsApp({ databaseUrl, redisUrl: REDIS_URL });
  const auth = { Authorization: `Bearer ${API_TOKEN}` };

  async function newInvoice(orderId: string): Promise<{ id: string; address: string; amountDue: string }> {
    const res = await request(harness().app.getHttpServer())
      .post('/v1/invoices')
      .set(auth)
      .send({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId });
    expect(res.status).toBe(201);
    return res.body as { id: string; address: string; amountDue: string };
  }

  function callback(query: Record<string, string>) {
    return request(harness().app.getHttpServer()).get(`/v1/callbacks/testpay?${new URLSearchParams(query).toString()}`);
  }

  /** The guard's count of callback deliveries it answered from a stored outcome. */
  async function guardReplays(): Promise<number> {
    const counted = (await harness().app.get(PaymentsMetrics).idempotency.get()).values;
    return counted.filter(({ labels }) => labels['scope'] === 'callback' && labels['event'] === 'replayed').reduce((sum, { value }) => sum + value, 0);
  }

  async function invoice(id: string): Promise<Record<string, unknown>> {
    const res = await request(harness().app.getHttpServer()).get(`/v1/invoices/${id}`).set(auth);
    expect(res.status).toBe(200);
    return res.body as Record<string, unknown>;
  }

  it('moves an invoice new → processing → settled, and answers a duplicate without applying it twice', async () => {
    const created = await newInvoice('order-settle');
    expect(created.amountDue).toBe('0.0005');
    const seen = { secret: TEST_SECRET, addr: created.address, txid: 'tx-settle', value: '50000', status: '0' };

    expect((await callback(seen)).status).toBe(200);
    expect(await invoice(created.id)).toMatchObject({ status: 'processing', amountPaid: '0.0005', amountConfirmed: '0' });

    const confirmed = await callback({ ...seen, status: '2' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toBe('applied');
    const duplicate = await callback({ ...seen, status: '2' });
    expect(duplicate.status).toBe(200);

    const settled = await invoice(created.id);
    expect(settled).toMatchObject({ status: 'settled', exceptionStatus: null, amountConfirmed: '0.0005' });
    expect(settled['payments']).toEqual([{ coin: 'BTC', txid: 'tx-settle', amount: '0.0005', state: 'confirmed', confirmations: 2, rbf: false, test: false }]);

    const log = await request(harness().app.getHttpServer()).get(`/v1/deliveries?invoiceId=${created.id}`).set(auth);
    expect(log.status).toBe(200);
    const verdicts = (log.body as { deliveries: { verdict: string; target: string }[] }).deliveries.map((d) => d.verdict);
    expect(verdicts).toEqual(['duplicate', 'applied', 'applied']);
    expect(JSON.stringify(log.body)).not.toContain(TEST_SECRET);
  });

  it('applies a callback whose invoice changed after it was read on top of that change, under the row lock', async () => {
    const created = await newInvoice('order-moved-on');
    const { store } = harness();
    const beforeFirst = await store.invoices.findById(created.id);
    const pay = (txid: string, value: string) => callback({ secret: TEST_SECRET, addr: created.address, txid, value, status: '2' });
    expect((await pay('tx-first', '20000')).text).toBe('applied');

    // The second callback reads the invoice as it was before the first one: its first write is refused.
    const findByAddress = store.invoices.findByAddress.bind(store.invoices);
    store.invoices.findByAddress = () => Promise.resolve(beforeFirst);
    let second: Awaited<ReturnType<typeof pay>>;
    try {
      second = await pay('tx-second', '30000');
    } finally {
      store.invoices.findByAddress = findByAddress;
    }

    expect([second.status, second.text]).toEqual([200, 'applied']);
    const paid = await invoice(created.id);
    expect(paid).toMatchObject({ status: 'settled', amountConfirmed: '0.0005' });
    expect((paid['payments'] as { txid: string }[]).map((payment) => payment.txid)).toEqual(['tx-first', 'tx-second']);
  });

  it('rejects a forged callback without changing the invoice, and logs it as rejected', async () => {
    const created = await newInvoice('order-forged');
    const forged = await callback({ secret: 'wrong-secret', addr: created.address, txid: 'tx-forged', value: '50000', status: '2' });
    expect(forged.status).toBe(403);
    expect(await invoice(created.id)).toMatchObject({ status: 'new', amountPaid: '0', payments: [] });

    const log = await request(harness().app.getHttpServer()).get('/v1/deliveries?provider=testpay&verdict=rejected').set(auth);
    const entries = (log.body as { deliveries: { target: string; responseStatus: number }[] }).deliveries;
    expect(entries.some((entry) => entry.target.includes('tx-forged') && entry.responseStatus === 403)).toBe(true);
    expect(JSON.stringify(entries)).not.toContain('wrong-secret');
  });

  it('never replays the stored answer to a forged copy of an applied delivery: verification comes first', async () => {
    const created = await newInvoice('order-forged-copy');
    const genuine = { secret: TEST_SECRET, addr: created.address, txid: 'tx-forged-copy', value: '50000', status: '2' };
    expect((await callback(genuine)).text).toBe('applied');
    const duplicates = async () => (await harness().app.get(PaymentsMetrics).duplicates.get()).values.reduce((sum, { value }) => sum + value, 0);
    const counted = await duplicates();

    const forged = await callback({ ...genuine, secret: 'forged-copy-secret' });
    expect([forged.status, forged.text]).toEqual([403, 'rejected']);
    expect(await duplicates()).toBe(counted);
    const log = await request(harness().app.getHttpServer()).get('/v1/deliveries?provider=testpay&verdict=rejected').set(auth);
    const entries = (log.body as { deliveries: { target: string; reason: string }[] }).deliveries.filter((entry) => entry.target.includes('tx-forged-copy'));
    expect(entries).toEqual([expect.objectContaining({ reason: 'secret does not match' })]);

    // The genuine retry is still answered from the stored outcome.
    expect((await callback(genuine)).text).toBe('applied');
    expect(await duplicates()).toBe(counted + 1);
  });

  it('answers copies of a replayed callback without parsing them again, each verified first', async () => {
    const created = await newInvoice('order-copies');
    const genuine = { secret: TEST_SECRET, addr: created.address, txid: 'tx-copies', value: '50000', status: '2' };
    expect((await callback(genuine)).text).toBe('applied');
    const duplicates = async () => (await harness().app.get(PaymentsMetrics).duplicates.get()).values.find(({ labels }) => labels['provider'] === 'testpay')?.value ?? 0;
    const counted = await duplicates();
    const parse = jest.spyOn(harness().app.get(TestPayAdapter, { strict: false }), 'parse');
    try {
      expect((await callback(genuine)).text).toBe('applied'); // replayed after parsing: the first copy
      expect(parse).toHaveBeenCalledTimes(1);
      const copies = [await callback(genuine), await callback(genuine).set('User-Agent', 'another-retrier/2')];
      expect(copies.map((copy) => [copy.status, copy.text])).toEqual([[200, 'applied'], [200, 'applied']]);
      expect(parse).toHaveBeenCalledTimes(1); // a header parse does not read makes no other callback
      expect(await duplicates()).toBe(counted + 3);

      const forged = await callback({ ...genuine, secret: 'forged-copy-secret' });
      expect([forged.status, forged.text]).toEqual([403, 'rejected']);
      const otherInvoice = await newInvoice('order-copies-other');
      expect((await callback({ ...genuine, addr: otherInvoice.address })).text).toBe('applied'); // another delivery: parsed, applied
      expect(parse).toHaveBeenCalledTimes(2);
    } finally {
      parse.mockRestore();
    }
    expect(await invoice(created.id)).toMatchObject({ status: 'settled', amountConfirmed: '0.0005' });
  });

  it('answers a malformed callback with 400 and an unknown address as unmatched', async () => {
    expect((await callback({ secret: TEST_SECRET, addr: 'x', txid: 't', value: '1.5', status: '2' })).status).toBe(400);
    const unmatched = await callback({ secret: TEST_SECRET, addr: 'tb1qnobody', txid: 't', value: '1', status: '2' });
    expect(unmatched.status).toBe(200);
    expect(unmatched.text).toBe('unmatched');
  });

  it('never replays an answer stored for another invoice: the claim answers the mismatch, nothing is applied', async () => {
    const created = await newInvoice('order-foreign-key');
    const deliveryKey = `tx-foreign.${created.address}.2`;
    // The same delivery key, completed for another invoice found under another address.
    const other = randomUUID();
    await completeKey(IdempotencyKey.callback({ provider: 'testpay', deliveryKey }), fingerprintOf(other, deliveryKey), { inv: other });
    const replays = await guardReplays();

    const answer = await callback({ secret: TEST_SECRET, addr: created.address, txid: 'tx-foreign', value: '50000', status: '2' });
    expect(answer.status).toBe(400);
    expect(answer.text).toBe('rejected');
    expect(await invoice(created.id)).toMatchObject({ status: 'new', payments: [] });
    const log = await request(harness().app.getHttpServer()).get(`/v1/deliveries?invoiceId=${created.id}`).set(auth);
    expect((log.body as { deliveries: unknown[] }).deliveries).toEqual([
      expect.objectContaining({ verdict: 'rejected', responseStatus: 400, reason: 'the delivery key was first used for another invoice', deliveryKey }),
    ]);
    expect(await guardReplays()).toBe(replays); // the look before the binding found no answer of this delivery
  });

  it('never replays a delivery’s stored answer to a callback naming another invoice under the same delivery key', async () => {
    const first = await newInvoice('order-key-first');
    const second = await newInvoice('order-key-second');
    const key = `delivery-${randomUUID()}`;
    expect((await callback({ secret: TEST_SECRET, addr: first.address, txid: 'tx-key-first', value: '50000', status: '2', key })).text).toBe('applied');
    const other = await callback({ secret: TEST_SECRET, addr: second.address, txid: 'tx-key-second', value: '50000', status: '2', key });
    expect([other.status, other.text]).toEqual([400, 'rejected']);
    expect(await invoice(second.id)).toMatchObject({ status: 'new', payments: [] });
  });

  it('replays an answer stored without context (an earlier version) through the claim, after the binding', async () => {
    const created = await newInvoice('order-earlier-version');
    const deliveryKey = `tx-earlier.${created.address}.2`;
    await completeKey(IdempotencyKey.callback({ provider: 'testpay', deliveryKey }), fingerprintOf(created.id, deliveryKey));
    const replays = await guardReplays();

    const answer = await callback({ secret: TEST_SECRET, addr: created.address, txid: 'tx-earlier', value: '50000', status: '2' });
    expect([answer.status, answer.text]).toEqual([200, 'applied']);
    expect(await invoice(created.id)).toMatchObject({ status: 'new', payments: [] }); // a replay, not an application
    const log = await request(harness().app.getHttpServer()).get(`/v1/deliveries?invoiceId=${created.id}`).set(auth);
    expect((log.body as { deliveries: { verdict: string }[] }).deliveries.map((d) => d.verdict)).toEqual(['duplicate']);
    expect(await guardReplays()).toBe(replays + 1); // by the claim only: the look before the binding found no invoice in it
  });

  it('replays an answer stored without a binding digest (an earlier version) only after the binding', async () => {
    const created = await newInvoice('order-no-binding');
    const deliveryKey = `tx-unbound.${created.address}.2`;
    await completeKey(IdempotencyKey.callback({ provider: 'testpay', deliveryKey }), fingerprintOf(created.id, deliveryKey), { inv: created.id });

    // The same delivery, in a coin the invoice does not take: the binding refuses it before any stored answer.
    const refused = await callback({ secret: TEST_SECRET, addr: created.address, txid: 'tx-unbound', value: '50000', status: '2', coin: 'LTC' });
    expect([refused.status, refused.text]).toEqual([403, 'rejected']);
    const replayed = await callback({ secret: TEST_SECRET, addr: created.address, txid: 'tx-unbound', value: '50000', status: '2' });
    expect([replayed.status, replayed.text]).toEqual([200, 'applied']);
    expect(await invoice(created.id)).toMatchObject({ status: 'new', payments: [] }); // a replay, not an application
  });

  /** Completes a delivery key directly in the idempotency store, with the applied answer. */
  async function completeKey(key: IdempotencyKey, fingerprint: Fingerprint, context?: Record<string, string>): Promise<void> {
    const store = harness().app.get<IdempotencyStore>(IDEMPOTENCY_STORE);
    const claim = await store.claim(key, fingerprint);
    if (claim.status !== 'acquired') throw new Error(`key not free: ${claim.status}`);
    const applied = { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'applied' };
    expect(await store.complete(key, claim.token, context ? { ...applied, context } : applied)).toBe(true);
  }

  it('answers 404 for a provider that is not enabled', async () => {
    expect((await request(harness().app.getHttpServer()).get('/v1/callbacks/nobody?x=1')).status).toBe(404);
  });
});
