import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { eventually, GatewayProcess, signaturesBy, type WebhookBody, WebhookReceiver } from '@cryptopay/test-servers';
import { GATEWAY_DIR } from './support/gateway-dir.js';
import { databaseEnv, dropTestSchemas } from './support/gateway-harness.js';

const TOKEN = 'webhooks-crash-token-0123456789abcdef';
/** Tries of 50 ms: enough for a claim's lease (15 s) to end on a loaded machine. */
const PATIENCE = { tries: 1_200 };

/**
 * The outbox across a crash: the gateway is SIGKILLed after the commit and before (or during) the
 * delivery, and the next instance on the same database delivers every committed event, signed.
 */
describe('webhooks across a gateway crash (sandbox mode, PostgreSQL)', () => {
  let receiver: WebhookReceiver;
  const started: GatewayProcess[] = [];
  let env: Record<string, string> = {};
  const start = async (extra: Record<string, string> = {}) => {
    const gateway = await GatewayProcess.start({ packageDir: GATEWAY_DIR, env: { ...env, ...extra } });
    started.push(gateway);
    return gateway;
  };
  const call = async (gateway: GatewayProcess, path: string, body?: unknown) => {
    const res = await fetch(`${gateway.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const payInvoice = async (gateway: GatewayProcess): Promise<string> => {
    const created = await call(gateway, '/v1/invoices', { provider: 'blockonomics', amount: '25.00', currency: 'USD', orderId: `crash-${Date.now()}` });
    expect(created.status).toBe(201);
    const id = String(created.body['id']);
    expect((await call(gateway, `/sandbox/invoices/${id}/pay`, { mode: 'full' })).status).toBe(200);
    return id;
  };
  const typesReceived = (invoiceId: string) =>
    new Set(receiver.bodies().filter((body: WebhookBody) => body.data.invoice?.id === invoiceId).map((body) => body.type));

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  beforeEach(() => {
    // A database of its own per test: its instances share it, and no endpoint of another test.
    env = { ...databaseEnv('PostgreSQL'), MODE: 'sandbox', API_TOKENS: TOKEN };
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((gateway) => gateway.kill()));
  });
  afterAll(async () => {
    await receiver.close();
    await dropTestSchemas();
  });

  it('delivers the events an instance committed and died before sending, from the next instance', async () => {
    const first = await start({ WEBHOOK_DISPATCH: 'false' });
    const endpoint = await call(first, '/v1/webhook-endpoints', { url: receiver.url });
    expect(endpoint.status).toBe(201);
    const secret = String(endpoint.body['secret']);
    const invoiceId = await payInvoice(first);
    expect((await call(first, `/v1/invoices/${invoiceId}`)).body['status']).toBe('settled');
    await first.kill();
    expect(receiver.received).toEqual([]);

    await start();
    await eventually(() => typesReceived(invoiceId).has('invoice.settled'), 'the settled event from the next instance', PATIENCE);
    expect(typesReceived(invoiceId)).toEqual(new Set(['invoice.created', 'invoice.payment_received', 'invoice.processing', 'invoice.settled']));
    for (const webhook of receiver.received) expect(signaturesBy(secret, webhook)).toBe(1);
  }, 120_000);

  it('attempts again, with the same webhook-id, a delivery whose instance was killed in the middle of it', async () => {
    let hold = true;
    receiver.answer = () => (hold ? 0 : 200);
    const first = await start();
    const endpoint = await call(first, '/v1/webhook-endpoints', { url: receiver.url, events: ['invoice.settled'] });
    const secret = String(endpoint.body['secret']);
    const invoiceId = await payInvoice(first);
    // The receiver holds the attempt open: the instance dies with it in flight.
    const [inFlight] = await eventually(() => receiver.pending.length > 0 && receiver.pending, 'the attempt in flight', PATIENCE);
    await first.kill();
    hold = false;
    const eventId = String(inFlight?.headers['webhook-id']);

    await start();
    await eventually(() => receiver.of(eventId).some((webhook) => webhook.answered === 200), 'the attempt again once the claim’s lease ended', PATIENCE);
    const settled = receiver.of(eventId).find((webhook) => webhook.answered === 200)!;
    expect((JSON.parse(settled.body) as WebhookBody).data.invoice?.id).toBe(invoiceId);
    expect(signaturesBy(secret, settled)).toBe(1);
  }, 120_000);
});
