import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, signaturesBy, type WebhookBody, WebhookReceiver } from '@cryptopay/test-servers';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { AUTH, DATABASES, startPaymentsApp, usePaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

interface EndpointAnswer {
  readonly id: string;
  readonly secret: string;
  readonly enabled: boolean;
  readonly events: string[];
}

interface DeliveryAnswer {
  readonly id: string;
  readonly eventId: string;
  readonly type: string;
  readonly status: string;
  readonly attempts: number;
  readonly lastResponseStatus: number | null;
  readonly lastError: string | null;
}

const PATIENCE = { tries: 400 };

describe.each(DATABASES)('outbound webhooks (%s)', (_name, databaseUrl) => {
  const harness = usePaymentsApp({ ...(databaseUrl ? { databaseUrl } : {}), webhooks: { retrySchedule: ['2s', '2s'], pollIntervalMs: 100 } });
  let receiver: WebhookReceiver;
  const http = () => request(harness().app.getHttpServer());

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
  });

  async function createEndpoint(body: Record<string, unknown> = {}): Promise<EndpointAnswer> {
    const res = await http().post('/v1/webhook-endpoints').set(AUTH).send({ url: receiver.url, ...body });
    expect(res.status).toBe(201);
    return res.body as EndpointAnswer;
  }

  async function removeEndpoint(id: string): Promise<void> {
    expect((await http().delete(`/v1/webhook-endpoints/${id}`).set(AUTH)).status).toBe(204);
  }

  async function deliveries(query: Record<string, string>): Promise<DeliveryAnswer[]> {
    const res = await http().get('/v1/webhook-deliveries').query(query).set(AUTH);
    expect(res.status).toBe(200);
    return (res.body as { deliveries: DeliveryAnswer[] }).deliveries;
  }

  async function payInvoice(): Promise<string> {
    const created = await http().post('/v1/invoices').set(AUTH).send({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId: 'webhooks' });
    expect(created.status).toBe(201);
    const { id, address } = created.body as { id: string; address: string };
    const query = new URLSearchParams({ secret: TEST_SECRET, addr: address, txid: `tx-${id}`, value: '50000', status: '2' });
    expect((await http().get(`/v1/callbacks/testpay?${query.toString()}`)).status).toBe(200);
    return id;
  }

  it('sends every event of a paid invoice, signed (checked by an independent HMAC), with the invoice exactly as the API shows it', async () => {
    const endpoint = await createEndpoint();
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    receiver.answer = () => 200;
    const invoiceId = await payInvoice();
    const settled = await eventually(
      () => receiver.bodies().find((body) => body.type === 'invoice.settled' && body.data.invoice?.id === invoiceId),
      'invoice.settled at the receiver',
      PATIENCE,
    );
    const shown = await http().get(`/v1/invoices/${invoiceId}`).set(AUTH);
    expect(settled.data.invoice).toEqual(shown.body);
    const types = receiver.bodies().filter((body) => body.data.invoice?.id === invoiceId).map((body) => body.type);
    expect(new Set(types)).toEqual(new Set(['invoice.created', 'invoice.payment_received', 'invoice.settled']));
    for (const webhook of receiver.received) {
      expect(signaturesBy(endpoint.secret, webhook)).toBe(1);
      expect(webhook.headers['content-type']).toBe('application/json');
      expect((JSON.parse(webhook.body) as WebhookBody).id).toBe(webhook.headers['webhook-id']);
    }
    const created = receiver.bodies().find((body) => body.type === 'invoice.created' && body.data.invoice?.id === invoiceId);
    expect(created?.data.invoiceVersion).toBeLessThan(settled.data.invoiceVersion ?? 0);
    expect(await eventually(async () => (await deliveries({ invoiceId, status: 'delivered' })).length === types.length, 'deliveries marked delivered', PATIENCE)).toBe(true);
    await removeEndpoint(endpoint.id);
  });

  it('retries after a 500 with the same webhook-id and a fresh timestamp', async () => {
    const endpoint = await createEndpoint({ events: ['invoice.settled'] });
    const failedOnce = new Set<string>();
    receiver.answer = (webhook) => {
      const id = String(webhook.headers['webhook-id']);
      if (failedOnce.has(id)) return 200;
      failedOnce.add(id);
      return 500;
    };
    const invoiceId = await payInvoice();
    const [delivery] = await eventually(async () => {
      const found = await deliveries({ invoiceId, endpointId: endpoint.id, status: 'delivered' });
      return found.length > 0 && found;
    }, 'the settled event delivered', PATIENCE);
    const attempts = receiver.of(delivery?.eventId ?? '');
    expect(attempts.map((webhook) => webhook.answered)).toEqual([500, 200]);
    const [first, second] = attempts.map((webhook) => Number(webhook.headers['webhook-timestamp']));
    expect(second).toBeGreaterThan(first ?? Infinity);
    for (const webhook of attempts) expect(signaturesBy(endpoint.secret, webhook)).toBe(1);
    expect(delivery).toMatchObject({ type: 'invoice.settled', attempts: 2, lastResponseStatus: 200, lastError: null });
    await removeEndpoint(endpoint.id);
  });

  it('disables an endpoint that answers 410 Gone, and sends it nothing more until it is enabled again', async () => {
    const endpoint = await createEndpoint({ events: ['invoice.settled'] });
    receiver.answer = () => 410;
    const invoiceId = await payInvoice();
    const [gone] = await eventually(async () => {
      const found = await deliveries({ invoiceId, endpointId: endpoint.id, status: 'failed' });
      return found.length > 0 && found;
    }, 'the delivery failed with 410', PATIENCE);
    expect(gone).toMatchObject({ attempts: 1, lastResponseStatus: 410 });
    const shown = await http().get(`/v1/webhook-endpoints/${endpoint.id}`).set(AUTH);
    expect(shown.body).toMatchObject({ enabled: false, disabledReason: 'the endpoint answered 410 Gone' });
    const secondInvoice = await payInvoice();
    expect(await deliveries({ invoiceId: secondInvoice, endpointId: endpoint.id })).toEqual([]);
    receiver.answer = () => 200;
    expect((await http().patch(`/v1/webhook-endpoints/${endpoint.id}`).set(AUTH).send({ enabled: true })).body).toMatchObject({ enabled: true, disabledReason: null });
    expect((await http().post(`/v1/webhook-deliveries/${gone?.id ?? ''}/redeliver`).set(AUTH)).status).toBe(202);
    await eventually(async () => (await deliveries({ invoiceId, endpointId: endpoint.id, status: 'delivered' })).length === 1, 'delivery after re-enabling', PATIENCE);
    await removeEndpoint(endpoint.id);
  });

  it('takes a redirect for a failed attempt, to be retried, and does not follow it', async () => {
    const endpoint = await createEndpoint({ events: ['invoice.settled'] });
    receiver.answer = () => 302;
    const invoiceId = await payInvoice();
    const [redirected] = await eventually(async () => {
      const found = await deliveries({ invoiceId, endpointId: endpoint.id });
      return found[0]?.lastResponseStatus === 302 && found;
    }, 'the redirected attempt recorded', PATIENCE);
    expect(redirected).toMatchObject({ status: 'pending', lastError: 'answered 302' });
    // Every request for the event went to the endpoint's own path, none to where the redirect pointed.
    expect(new Set(receiver.of(redirected?.eventId ?? '').map((webhook) => `${webhook.path} ${webhook.answered}`))).toEqual(new Set(['/hooks 302']));
    await removeEndpoint(endpoint.id);
  });

  it('redelivers a delivered event on request, with the same webhook-id', async () => {
    const endpoint = await createEndpoint({ events: ['invoice.settled'] });
    receiver.answer = () => 200;
    const invoiceId = await payInvoice();
    const [delivered] = await eventually(async () => {
      const found = await deliveries({ invoiceId, endpointId: endpoint.id, status: 'delivered' });
      return found.length > 0 && found;
    }, 'the first delivery', PATIENCE);
    const again = await http().post(`/v1/webhook-deliveries/${delivered?.id ?? ''}/redeliver`).set(AUTH);
    expect(again.status).toBe(202);
    await eventually(() => receiver.of(delivered?.eventId ?? '').length === 2, 'the redelivery', PATIENCE);
    const [first, second] = receiver.of(delivered?.eventId ?? '');
    expect(second?.body).toBe(first?.body);
    expect(signaturesBy(endpoint.secret, second ?? first!)).toBe(1);
    await eventually(async () => (await deliveries({ invoiceId, endpointId: endpoint.id }))[0]?.attempts === 2, 'the redelivery recorded', PATIENCE);
    expect((await http().post('/v1/webhook-deliveries/999999999/redeliver').set(AUTH)).status).toBe(404);
    await removeEndpoint(endpoint.id);
  });

  it('signs with both secrets for a while after a rotation; a receiver with either verifies', async () => {
    const endpoint = await createEndpoint();
    receiver.answer = () => 200;
    const rotated = await http().post(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`).set(AUTH);
    expect(rotated.status).toBe(200);
    const { secret } = rotated.body as { secret: string };
    expect(secret).not.toBe(endpoint.secret);
    const test = await http().post(`/v1/webhook-endpoints/${endpoint.id}/test`).set(AUTH);
    expect(test.status).toBe(202);
    const { eventId } = test.body as { eventId: string };
    const [webhook] = await eventually(() => receiver.of(eventId).length > 0 && receiver.of(eventId), 'the test event', PATIENCE);
    expect(String(webhook?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(signaturesBy(secret, webhook!)).toBe(1);
    expect(signaturesBy(endpoint.secret, webhook!)).toBe(1);
    // The documented receiver: the standardwebhooks package, on the raw body.
    const verified = new Webhook(secret).verify(webhook!.body, webhook!.headers as Record<string, string>) as WebhookBody;
    expect(verified).toMatchObject({ id: eventId, type: 'webhook.test', data: { endpointId: endpoint.id } });
    await removeEndpoint(endpoint.id);
  });

  it('manages endpoints: lists them without secrets, refuses bad input with 400/422 and unknown ids with 404', async () => {
    const endpoint = await createEndpoint({ events: ['invoice.settled', 'invoice.expired'], description: 'orders' });
    const listed = await http().get('/v1/webhook-endpoints').set(AUTH);
    expect((listed.body as { endpoints: unknown[] }).endpoints).toContainEqual(expect.objectContaining({ id: endpoint.id, events: ['invoice.settled', 'invoice.expired'], description: 'orders', enabled: true }));
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    expect((await http().post('/v1/webhook-endpoints').set(AUTH).send({ url: receiver.url, events: ['invoice.paid'] })).status).toBe(400);
    expect((await http().post('/v1/webhook-endpoints').set(AUTH).send({ url: receiver.url, colour: 'red' })).status).toBe(400);
    expect((await http().post('/v1/webhook-endpoints').set(AUTH).send({ url: 'ftp://example.com/hooks' })).status).toBe(422);
    expect((await http().post('/v1/webhook-endpoints').send({ url: receiver.url })).status).toBe(401);
    expect((await http().get('/v1/webhook-endpoints/we_missing').set(AUTH)).status).toBe(404);
    expect((await http().post('/v1/webhook-endpoints/we_missing/rotate-secret').set(AUTH)).status).toBe(404);
    expect((await http().get('/v1/webhook-deliveries').query({ status: 'lost' }).set(AUTH)).status).toBe(400);
    const patched = await http().patch(`/v1/webhook-endpoints/${endpoint.id}`).set(AUTH).send({ events: null, description: null });
    expect(patched.body).toMatchObject({ description: null, events: expect.arrayContaining(['invoice.created', 'invoice.settled']) });
    await removeEndpoint(endpoint.id);
    expect((await http().get(`/v1/webhook-endpoints/${endpoint.id}`).set(AUTH)).status).toBe(404);
  });
});

describe('outbound webhooks: SSRF', () => {
  const harness = usePaymentsApp({ webhooks: { allowPrivateNetworks: false } });
  let receiver: WebhookReceiver;
  const http = () => request(harness().app.getHttpServer());

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it.each(['http://127.0.0.1:9/hooks', 'http://localhost/hooks', 'https://10.1.2.3/hooks', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/hooks', 'http://224.0.0.1/'])(
    'refuses an endpoint at %s with 422',
    async (url) => {
      const res = await http().post('/v1/webhook-endpoints').set(AUTH).send({ url });
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body)).toContain('loopback, private, link-local or multicast');
    },
  );

  it('refuses to connect when a stored endpoint resolves to a private address at delivery time', async () => {
    // As if its DNS changed after creation: stored directly, then sent a test event.
    const endpoint = await harness().store.webhooks.createEndpoint({ id: 'we_rebound', merchantId: 'default', url: receiver.url, events: null, description: null, secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` });
    const test = await http().post(`/v1/webhook-endpoints/${endpoint.id}/test`).set(AUTH);
    expect(test.status).toBe(202);
    const { id } = test.body as { id: string };
    const refused = await eventually(async () => {
      const res = await http().get('/v1/webhook-deliveries').query({ endpointId: endpoint.id }).set(AUTH);
      const [delivery] = (res.body as { deliveries: DeliveryAnswer[] }).deliveries;
      return delivery?.id === id && delivery.attempts === 1 && delivery.lastError !== null && delivery;
    }, 'the attempt refused', PATIENCE);
    expect(refused.lastError).toMatch(/not allowed/);
    expect(refused.lastResponseStatus).toBeNull();
    expect(receiver.received).toEqual([]);
  });
});

describe('outbound webhooks: shutdown', () => {
  it('cuts an attempt still in flight short on app.close() and leaves its delivery due again at once, for another instance', async () => {
    const receiver = await WebhookReceiver.start();
    receiver.answer = () => 0; // holds every attempt open
    const harness = await startPaymentsApp({ webhooks: { pollIntervalMs: 100 } });
    try {
      const endpoint = (await request(harness.app.getHttpServer()).post('/v1/webhook-endpoints').set(AUTH).send({ url: receiver.url })).body as { id: string };
      const test = (await request(harness.app.getHttpServer()).post(`/v1/webhook-endpoints/${endpoint.id}/test`).set(AUTH)).body as { id: string };
      await eventually(() => receiver.pending.length === 1, 'the attempt in flight', PATIENCE);
      const store = harness.store;
      // The store stays readable until the module closes it: read it from a hook ahead of that.
      let seen: Awaited<ReturnType<typeof store.webhooks.findDelivery>> = null;
      const findDelivery = store.webhooks.findDelivery.bind(store.webhooks);
      const close = store.close.bind(store);
      store.close = async () => {
        seen = await findDelivery('default', test.id);
        await close();
      };
      await harness.close();
      expect(seen).toMatchObject({ status: 'pending', attempts: 1, lastError: 'cut short by the instance shutting down' });
      expect((seen as { nextAttemptAt: Date } | null)?.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    } finally {
      await receiver.close();
    }
  });
});
