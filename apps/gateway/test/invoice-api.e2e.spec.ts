import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IDEMPOTENCY_STORE, IdempotencyKey, type IdempotencyStore, requestFingerprint } from '@cryptopay/idempotency';
import { DEFAULT_COINS, formatCoinAmount, parseExchangeRate, parseFiatAmount, quoteCoinAmount } from '@cryptopay/invoice';
import { databaseEnv, GatewayHarness, REDIS_URL } from './support/gateway-harness.js';
import { eventually } from '@cryptopay/test-servers';

describe('invoice API', () => {
  let gw: GatewayHarness;

  beforeAll(async () => {
    gw = await GatewayHarness.start({ ...databaseEnv('PGlite'), REDIS_URL, EXPIRY_SWEEP_SECONDS: '1' });
  });
  afterAll(async () => {
    await gw.close();
  });

  const body = (extra: Record<string, unknown> = {}) => ({ provider: 'blockonomics', amount: '25.00', currency: 'USD', orderId: 'order-api', ...extra });
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    gw.request('/v1/invoices', { method: 'POST', body: JSON.stringify(payload), headers });

  it('answers 401 without a token or with a wrong one', async () => {
    const none = await fetch(`${gw.url}/v1/invoices?orderId=x`);
    const wrong = await fetch(`${gw.url}/v1/invoices?orderId=x`, { headers: { Authorization: 'Bearer not-the-token-0000000000' } });
    const deliveries = await fetch(`${gw.url}/v1/deliveries`);
    expect([none.status, wrong.status, deliveries.status]).toEqual([401, 401, 401]);
  });

  it('answers 400 with field-level messages on invalid input, and a JSON number amount is refused', async () => {
    const numeric = await post(body({ amount: 25 }));
    expect(numeric.status).toBe(400);
    expect(JSON.stringify(await numeric.json())).toContain('amount must be a decimal string');

    const missing = await post({ provider: 'blockonomics' });
    const messages = ((await missing.json()) as { message: string[] }).message.join('\n');
    expect(missing.status).toBe(400);
    for (const field of ['amount', 'currency', 'orderId']) expect(messages).toContain(field);

    const cases = [body({ amount: '25.001' }), body({ amount: '0.00' }), body({ currency: 'US' }), body({ provider: 'paypal' }), body({ coin: 'XMR' }), body({ unexpected: 1 })];
    const issuedBefore = gw.sandbox.blockonomics.simulator.issuedAddresses().length;
    const statuses = await Promise.all(cases.map(async (payload) => (await post(payload)).status));
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400]);
    expect(gw.sandbox.blockonomics.simulator.issuedAddresses()).toHaveLength(issuedBefore); // no address wasted on bad input
  });

  it("shows BlockBee's minimum transaction exactly, in coin units, when created and when read back", async () => {
    gw.sandbox.blockbee.simulator.setMinimum('btc', '0.00012345');
    const created = await gw.createInvoice('blockbee');
    expect(created['minimumPayment']).toBe('0.00012345');
    expect((await gw.invoice(created.id))['minimumPayment']).toBe('0.00012345');
  });

  it('answers 404 for an unknown invoice id, and finds invoices by orderId', async () => {
    expect((await gw.request(`/v1/invoices/${randomUUID()}`)).status).toBe(404);
    expect((await gw.request('/v1/invoices/not-an-id')).status).toBe(404);
    const orderId = `order-${randomUUID()}`;
    const created = await gw.createInvoice('blockbee', '10.00', { orderId });
    const found = (await (await gw.request(`/v1/invoices?orderId=${orderId}`)).json()) as { id: string }[];
    expect(found.map((invoice) => invoice.id)).toEqual([created.id]);
  });

  it('with the same Idempotency-Key returns the same invoice and calls the provider once', async () => {
    const key = randomUUID();
    const issuedBefore = gw.sandbox.blockonomics.simulator.issuedAddresses().length;
    const first = await post(body(), { 'Idempotency-Key': key });
    const second = await post(body(), { 'Idempotency-Key': key });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(((await second.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    expect(gw.sandbox.blockonomics.simulator.issuedAddresses().length).toBe(issuedBefore + 1);
  });

  it('answers 422 when an Idempotency-Key is reused with a different body', async () => {
    const key = randomUUID();
    expect((await post(body(), { 'Idempotency-Key': key })).status).toBe(201);
    expect((await post(body({ amount: '26.00' }), { 'Idempotency-Key': key })).status).toBe(422);
  });

  it('answers 409 with Retry-After while the same key is still being processed', async () => {
    const key = randomUUID();
    const payload = body();
    // Another request holding the key: claimed exactly as the interceptor claims it.
    const caller = createHash('sha256').update(`Bearer ${gw.token}`).digest('hex').slice(0, 32);
    const store = gw.gateway.app.get<IdempotencyStore>(IDEMPOTENCY_STORE);
    const claim = await store.claim(IdempotencyKey.apiRequest({ caller, idempotencyKey: key }), requestFingerprint('POST', '/v1/invoices', payload));
    expect(claim.status).toBe('acquired');
    const concurrent = await post(payload, { 'Idempotency-Key': key });
    expect(concurrent.status).toBe(409);
    expect(concurrent.headers.get('retry-after')).not.toBeNull();
  });

  it('answers 502 with an actionable message when the provider refuses, never echoing the key', async () => {
    gw.sandbox.blockonomics.simulator.failNewAddress({ status: 401, body: '{"message": "Invalid API key"}' });
    const refused = await post(body());
    const text = await refused.text();
    expect(refused.status).toBe(502);
    expect(text).toContain('API key');
    expect(text).not.toContain(gw.sandbox.blockonomics.options.apiKey);
  });

  it('answers 422 naming an unsupported currency and where the supported ones are, before Blockonomics makes an address', async () => {
    const { simulator } = gw.sandbox.blockonomics;
    const issued = simulator.issuedAddresses().length;
    const refused = await post(body({ currency: 'CHF' }));
    expect(refused.status).toBe(422);
    const { message } = (await refused.json()) as { message: string };
    expect(message).toBe('blockonomics cannot price invoices in CHF: see https://www.blockonomics.co/api/currencies for the currencies it supports');
    // Every address counts against Blockonomics' gap limit.
    expect(simulator.issuedAddresses()).toHaveLength(issued);
  });

  it('answers 422 naming an unsupported currency and the ones BlockBee prices (its info API)', async () => {
    const { simulator } = gw.sandbox.blockbee;
    simulator.setRate('btc', '58000', 'EUR');
    const refused = await post(body({ provider: 'blockbee', currency: 'CHF' }));
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { message: string }).message).toBe('blockbee cannot price invoices in CHF: it supports EUR, USD');
    // The currency it does price still creates invoices.
    expect((await post(body({ provider: 'blockbee', currency: 'EUR' }))).status).toBe(201);
  });

  it('expires invoices on its own schedule (EXPIRY_SWEEP_SECONDS), with no callback and no request', async () => {
    const invoice = await gw.createInvoice('blockonomics');
    await gw.expire(invoice.id);
    await eventually(async () => (await gw.invoice(invoice.id)).status === 'expired', 'the sweep to expire the invoice');
  });

  it('serves health, metrics and the OpenAPI document', async () => {
    expect(await (await fetch(`${gw.url}/health/live`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${gw.url}/health/ready`)).json()).toEqual({ status: 'ok', checks: { database: 'up', idempotency: 'up' } });
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toContain('cryptopay_callbacks_total');
    expect(metrics).toContain('cryptopay_invoice_transitions_total{type="invoice.created"}');
    expect(metrics).toContain('cryptopay_idempotency_events_total');
    const openApi = (await (await fetch(`${gw.url}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openApi.paths)).toEqual(expect.arrayContaining(['/v1/invoices', '/v1/invoices/{id}', '/v1/deliveries']));
  });

  it("shows an OpenAPI example whose amount due is what its fiat amount and rate quote (rounded up)", async () => {
    const openApi = (await (await fetch(`${gw.url}/docs-json`)).json()) as { components: { schemas: Record<string, { properties: Record<string, { example?: unknown }> }> } };
    const example = openApi.components.schemas['InvoiceView']!.properties;
    const fiatExample = openApi.components.schemas['FiatView']!.properties;
    const btc = DEFAULT_COINS.find((coin) => coin.code === 'BTC')!;
    const fiat = parseFiatAmount(String(fiatExample['currency']!.example), String(fiatExample['amount']!.example));
    const quoted = quoteCoinAmount(fiat, parseExchangeRate(fiat.currency, String(example['rate']!.example)), btc);
    expect(example['amountDue']!.example).toBe(formatCoinAmount(btc, quoted));
  });

  it('documents checkoutUrl and redirectUrl in OpenAPI, and not the checkout routes, which are for payers', async () => {
    const openApi = (await (await fetch(`${gw.url}/docs-json`)).json()) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(Object.keys(openApi.components.schemas['InvoiceView']!.properties)).toEqual(expect.arrayContaining(['checkoutUrl', 'redirectUrl']));
    expect(Object.keys(openApi.components.schemas['CreateInvoiceDto']!.properties)).toContain('redirectUrl');
    expect(Object.keys(openApi.paths).filter((path) => path.startsWith('/checkout'))).toEqual([]);
  });
});
