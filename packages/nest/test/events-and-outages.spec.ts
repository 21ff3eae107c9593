import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { eventually, RecordingLogger } from '@cryptopay/test-servers';
import { EventEmitter2 } from '@nestjs/event-emitter';
import request from 'supertest';
import { API_TOKEN, type PaymentsTestApp, startPaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

const auth = { Authorization: `Bearer ${API_TOKEN}` };

async function createInvoice(harness: PaymentsTestApp): Promise<{ id: string; address: string }> {
  const res = await request(harness.app.getHttpServer()).post('/v1/invoices').set(auth).send({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId: 'o' });
  expect(res.status).toBe(201);
  return res.body as { id: string; address: string };
}

function pay(harness: PaymentsTestApp, address: string, status: string) {
  const query = new URLSearchParams({ secret: TEST_SECRET, addr: address, txid: `tx-${address}`, value: '50000', status });
  return request(harness.app.getHttpServer()).get(`/v1/callbacks/testpay?${query.toString()}`);
}

describe('payments module: events and outages', () => {
  let started: PaymentsTestApp | undefined;
  let logger: RecordingLogger;
  // Each test's own app; a test whose app failed to start has none to close.
  const harness = (): PaymentsTestApp => {
    if (!started) throw new Error('the app starts in beforeEach');
    return started;
  };
  beforeEach(async () => {
    logger = new RecordingLogger();
    started = await startPaymentsApp({ logger });
  });
  afterEach(async () => {
    await started?.close();
    started = undefined;
  });

  it('publishes invoice.settled only once the change is committed and visible to others', async () => {
    const seenByListener: string[] = [];
    let published = 0;
    harness().app.get(EventEmitter2).on('invoice.settled', (event: { invoiceId: string }) => {
      published += 1;
      // Read outside the callback's transaction: only a committed change is visible here.
      void harness().store.invoices.findById(event.invoiceId).then((stored) => seenByListener.push(stored?.status ?? 'missing'));
    });
    const invoice = await createInvoice(harness());
    expect((await pay(harness(), invoice.address, '2')).status).toBe(200);
    expect(await eventually(() => (seenByListener.length > 0 ? seenByListener : undefined), 'the listener to read the invoice')).toEqual(['settled']);
    // Events are emitted before the callback is answered, so the count is final once the answer is in.
    expect((await pay(harness(), invoice.address, '2')).status).toBe(200); // a duplicate publishes nothing
    expect(published).toBe(1);
  });

  it('answers a duplicate of an applied delivery from the idempotency store alone, even with the database gone', async () => {
    const invoice = await createInvoice(harness());
    expect((await pay(harness(), invoice.address, '2')).text).toBe('applied');
    await harness().store.close();
    const duplicate = await pay(harness(), invoice.address, '2');
    expect([duplicate.status, duplicate.text]).toEqual([200, 'applied']); // the stored first answer
    const fresh = await pay(harness(), invoice.address, '1'); // a new delivery needs the database
    expect(fresh.status).toBe(503);
  });

  it('when the database is down, answers callbacks with 503 (the provider retries) and the invoice API with 503, never a success', async () => {
    const invoice = await createInvoice(harness());
    await harness().store.close();
    const callback = await pay(harness(), invoice.address, '2');
    expect(callback.status).toBe(503);
    expect(callback.text).toBe('retry-later');
    // The operator is told why, without a stack for an outage (it says nothing more).
    const notApplied = logger.entries.filter((entry) => entry.level === 'error' && entry.text.startsWith('Callbacks callback not applied'));
    expect(notApplied.map((entry) => [entry.text, entry.stack])).toEqual([
      [expect.stringMatching(/^Callbacks callback not applied, answering 503 so the provider retries: StoreUnavailableError: /), undefined],
    ]);
    expect(logger.at('warn')).toContainEqual(expect.stringMatching(/^Callbacks testpay callback retry-later \(503\): the invoice store is unavailable; GET /));
    const read = await request(harness().app.getHttpServer()).get(`/v1/invoices/${invoice.id}`).set(auth);
    expect(read.status).toBe(503);
    expect((await request(harness().app.getHttpServer()).get('/health/ready')).status).toBe(503);
  });
});
