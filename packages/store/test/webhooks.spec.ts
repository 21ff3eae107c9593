import { randomUUID } from 'node:crypto';
import { InvoiceConcurrencyError } from '@cryptopay/invoice';
import { type Store, type WebhookEventEntry } from '../src/index.js';
import { BACKENDS, postgresBackend, rawDatabase, useMigratedStore } from './support/backends.js';
import { newInvoice, paid, withPayment } from './support/invoices.js';

function eventOf(invoiceId: string | null, type: string, merchantId = 'default'): WebhookEventEntry {
  const id = `evt_${randomUUID().replaceAll('-', '')}`;
  return { id, merchantId, type, invoiceId, invoiceVersion: 1, body: JSON.stringify({ id, type, amount: '0.00038988' }), createdAt: new Date() };
}

async function endpoint(store: Store, events: string[] | null, merchantId = 'default') {
  return store.webhooks.createEndpoint({ id: `we_${randomUUID()}`, merchantId, url: 'https://hooks.example.com/x', events, description: null, secret: 'whsec_AAAA' });
}

async function deliveriesOf(store: Store, invoiceId: string) {
  return (await store.webhooks.deliveries({ merchantId: 'default', invoiceId, limit: 100 })).deliveries;
}

const claim = (limit = 50, perEndpoint = 4) => ({ token: randomUUID(), limit, perEndpoint, leaseMs: 15_000 });

describe.each(BACKENDS)('webhook outbox on %s', (_name, factory) => {
  const { store } = useMigratedStore(factory);

  beforeEach(async () => {
    // Each test counts its own endpoints' deliveries only.
    await rawDatabase(store()).deleteFrom('webhook_endpoints').execute();
  });

  it('writes an update’s events with it, one delivery per enabled endpoint of the merchant subscribed to the type', async () => {
    const all = await endpoint(store(), null);
    const settledOnly = await endpoint(store(), ['invoice.settled']);
    await endpoint(store(), null, 'another-merchant');
    const paused = await endpoint(store(), null);
    await store().webhooks.updateEndpoint('default', paused.id, { enabled: false });
    const invoice = newInvoice();
    await store().invoices.create(invoice, { events: [eventOf(invoice.id, 'invoice.created')] });
    const next = withPayment(invoice, paid(invoice, 38988n));
    await store().invoices.update(next, { previous: invoice, events: [eventOf(invoice.id, 'invoice.payment_received'), eventOf(invoice.id, 'invoice.settled')] });

    const deliveries = await deliveriesOf(store(), invoice.id);
    expect(deliveries.map((d) => [d.type, d.endpointId]).sort()).toEqual(
      [
        ['invoice.created', all.id],
        ['invoice.payment_received', all.id],
        ['invoice.settled', all.id],
        ['invoice.settled', settledOnly.id],
      ].sort(),
    );
    expect(deliveries.every((d) => d.status === 'pending' && d.attempts === 0)).toBe(true);
  });

  it('writes no event when the invoice’s version check refuses the update, nor when its idempotency key already holds an invoice', async () => {
    await endpoint(store(), null);
    const invoice = newInvoice();
    await store().invoices.create(invoice);
    const stale = { ...withPayment(invoice, paid(invoice, 38988n)), version: invoice.version + 5 };
    await expect(store().invoices.update(stale, { events: [eventOf(invoice.id, 'invoice.settled')] })).rejects.toBeInstanceOf(InvoiceConcurrencyError);
    expect(await deliveriesOf(store(), invoice.id)).toEqual([]);

    const key = { caller: 'c', key: randomUUID(), fingerprint: 'f' };
    const first = newInvoice();
    const second = newInvoice();
    expect(await store().invoices.createOnce(first, { events: [eventOf(first.id, 'invoice.created')] }, key)).toBeNull();
    expect(await store().invoices.createOnce(second, { events: [eventOf(second.id, 'invoice.created')] }, key)).not.toBeNull();
    expect(await deliveriesOf(store(), first.id)).toHaveLength(1);
    expect(await deliveriesOf(store(), second.id)).toEqual([]);
  });

  it('claims at most perEndpoint attempts of one endpoint at once, records them only with the claim’s token, and retries or fails them', async () => {
    const target = await endpoint(store(), null);
    const invoice = newInvoice();
    await store().invoices.create(invoice, { events: ['a', 'b', 'c'].map((suffix) => eventOf(invoice.id, `invoice.created.${suffix}`)) });
    const claimed = await store().webhooks.claimDue(claim(50, 2));
    expect(claimed).toHaveLength(2);
    expect(await store().webhooks.claimDue(claim(50, 2))).toEqual([]);
    const [first, second] = claimed;
    const at = new Date();
    expect(await store().webhooks.recordAttempt({ ...first!, claimToken: 'not-mine' }, { outcome: 'delivered', responseStatus: 200, error: null, durationMs: 5, attemptedAt: at })).toBe(false);
    expect(await store().webhooks.recordAttempt(first!, { outcome: 'delivered', responseStatus: 200, error: null, durationMs: 5, attemptedAt: at })).toBe(true);
    expect(await store().webhooks.recordAttempt(second!, { outcome: 'retry', responseStatus: 500, error: 'answered 500', durationMs: 5, attemptedAt: at, nextAttemptAt: new Date(Date.now() + 60_000) })).toBe(true);
    const [third] = await store().webhooks.claimDue(claim(50, 2));
    expect(third?.eventId).not.toBe(second?.eventId);
    expect(await store().webhooks.recordAttempt(third!, { outcome: 'gone', responseStatus: 410, error: 'answered 410', durationMs: 5, attemptedAt: at })).toBe(true);

    const byEvent = new Map((await deliveriesOf(store(), invoice.id)).map((d) => [d.eventId, d]));
    expect(byEvent.get(first!.eventId)).toMatchObject({ status: 'delivered', attempts: 1, lastResponseStatus: 200 });
    expect(byEvent.get(second!.eventId)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'answered 500' });
    expect(byEvent.get(third!.eventId)).toMatchObject({ status: 'failed', lastResponseStatus: 410 });
    expect(await store().webhooks.findEndpoint('default', target.id)).toMatchObject({ enabled: false });
  });

  it('prunes finished events older than the retention, never a pending one', async () => {
    await endpoint(store(), null);
    const invoice = newInvoice();
    await store().invoices.create(invoice, { events: [eventOf(invoice.id, 'invoice.created'), eventOf(invoice.id, 'invoice.settled')] });
    const [done] = await store().webhooks.claimDue(claim(1, 1));
    await store().webhooks.recordAttempt(done!, { outcome: 'delivered', responseStatus: 200, error: null, durationMs: 1, attemptedAt: new Date() });
    // Earlier tests' events (their endpoints deleted) are finished too.
    expect(await store().webhooks.prune(new Date(Date.now() + 60_000), 100)).toBeGreaterThanOrEqual(1);
    const left = await deliveriesOf(store(), invoice.id);
    expect(left.map((d) => d.status)).toEqual(['pending']);
  });
});

describe('webhook claims from several instances (PostgreSQL)', () => {
  const { backend, store } = useMigratedStore(postgresBackend);

  it('never hands one delivery to two instances claiming at once', async () => {
    const instances = [store(), await backend.open(), await backend.open()];
    const endpoints = await Promise.all(Array.from({ length: 10 }, () => endpoint(store(), null)));
    const invoice = newInvoice();
    await store().invoices.create(invoice, { events: Array.from({ length: 20 }, (_, n) => eventOf(invoice.id, `invoice.created.${n}`)) });
    const claims = await Promise.all(instances.flatMap((instance) => [instance.webhooks.claimDue(claim(100, 32)), instance.webhooks.claimDue(claim(100, 32))]));
    const ids = claims.flat().map((delivery) => delivery.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Every due delivery is claimed by one of them or is still due for the next claim.
    const rest = await store().webhooks.claimDue(claim(1000, 32));
    expect(ids.length + rest.length).toBe(20 * endpoints.length);
  });
});
