import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, type WebhookBody, WebhookReceiver } from '@cryptopay/test-servers';
import { databaseEnv, dropTestSchemas, GatewayHarness, type InvoiceBody, REDIS_URL } from './support/gateway-harness.js';

const PLATFORM_TOKEN = 'merchant-seams-platform-token-0123456789';
const PATIENCE = { tries: 600 };

interface Merchant {
  readonly id: string;
  /** Every scope. */
  readonly key: string;
  readonly accounts: { readonly blockonomics: string; readonly blockbee: string };
  /** Each account's credentials, as created. */
  readonly credentials: { readonly blockonomics: Record<string, string>; readonly blockbee: Record<string, string> };
}

/**
 * Where the merged features meet: merchants' scoped keys over webhook endpoints and reconciliation,
 * each invoice's webhooks going to its own merchant only and carrying what GET shows, and a merchant
 * account's invoice reconciled when its callbacks were lost.
 */
describe('merchants across webhooks and reconciliation (sandbox gateway over PostgreSQL)', () => {
  let gw: GatewayHarness;
  let a: Merchant;
  let b: Merchant;
  let receiverA: WebhookReceiver;
  let receiverB: WebhookReceiver;
  let receiverPlatform: WebhookReceiver;
  /** Merchant A's endpoint, at receiverA. */
  let endpointOfA: string;

  const call = (token: string, path: string, init: RequestInit = {}) =>
    fetch(`${gw.url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) } });
  const post = (token: string, path: string, body?: unknown) => call(token, path, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  async function keyOf(merchantId: string, scopes?: readonly string[]): Promise<string> {
    const res = await post(PLATFORM_TOKEN, `/v1/merchants/${merchantId}/api-keys`, { name: scopes ? scopes.join(' ') : 'server', ...(scopes ? { scopes } : {}) });
    expect(res.status).toBe(201);
    return ((await res.json()) as { key: string }).key;
  }

  async function onboard(name: string): Promise<Merchant> {
    const merchant = (await (await post(PLATFORM_TOKEN, '/v1/merchants', { name })).json()) as { id: string };
    const key = await keyOf(merchant.id);
    const account = async (body: object) => {
      const res = await post(key, `/v1/merchants/${merchant.id}/provider-accounts`, body);
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const credentials = {
      blockonomics: { apiKey: `sandbox-${name}-blockonomics-key`, callbackSecret: `${name}-secret-${randomBytes(16).toString('hex')}` },
      blockbee: { apiKey: `sandbox-${name}-blockbee-key` },
    };
    const blockonomics = await account({ provider: 'blockonomics', credentials: credentials.blockonomics });
    const blockbee = await account({ provider: 'blockbee', credentials: credentials.blockbee });
    return { id: merchant.id, key, accounts: { blockonomics, blockbee }, credentials };
  }

  async function invoiceOf(merchant: Merchant, provider: string): Promise<InvoiceBody> {
    const res = await post(merchant.key, '/v1/invoices', { provider, amount: '25.00', currency: 'USD', orderId: `seams-${merchant.id}` });
    expect(res.status).toBe(201);
    return (await res.json()) as InvoiceBody;
  }

  async function endpointOf(token: string, receiver: WebhookReceiver): Promise<string> {
    const res = await post(token, '/v1/webhook-endpoints', { url: receiver.url });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  const pay = async (invoiceId: string, dropCallbacks = false) => {
    expect((await post(PLATFORM_TOKEN, `/sandbox/invoices/${invoiceId}/pay`, { dropCallbacks })).status).toBe(200);
  };
  const shown = async (merchant: Merchant, id: string) => (await (await call(merchant.key, `/v1/invoices/${id}`)).json()) as InvoiceBody;
  const bodiesFor = (receiver: WebhookReceiver, invoiceId: string): WebhookBody[] => receiver.bodies().filter((body) => body.data.invoice?.id === invoiceId);

  beforeAll(async () => {
    [receiverA, receiverB, receiverPlatform] = await Promise.all([WebhookReceiver.start(), WebhookReceiver.start(), WebhookReceiver.start()]);
    // No scheduled reconciler: only the API's reconcile settles an invoice whose callbacks were dropped.
    const env = { ...databaseEnv('PostgreSQL'), REDIS_URL, API_TOKENS: PLATFORM_TOKEN, CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`, RECONCILE_INTERVAL_SECONDS: '0' };
    gw = await GatewayHarness.start(env);
    a = await onboard('seams-a');
    b = await onboard('seams-b');
    endpointOfA = await endpointOf(a.key, receiverA);
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all([receiverA, receiverB, receiverPlatform].map((receiver) => receiver.close()));
    await dropTestSchemas();
  });

  it("a webhooks:manage key manages its own merchant's endpoints only; another merchant's ids answer 404, a key without the scope 403", async () => {
    const endpointId = endpointOfA;
    const path = `/v1/webhook-endpoints/${endpointId}`;
    const managerOfB = await keyOf(b.id, ['webhooks:manage']);

    expect((await call(managerOfB, path)).status).toBe(404);
    expect((await call(managerOfB, path, { method: 'PATCH', body: JSON.stringify({ enabled: false }) })).status).toBe(404);
    expect((await post(managerOfB, `${path}/rotate-secret`)).status).toBe(404);
    expect((await post(managerOfB, `${path}/test`)).status).toBe(404);
    expect((await call(managerOfB, path, { method: 'DELETE' })).status).toBe(404);
    const listedForB = (await (await call(managerOfB, '/v1/webhook-endpoints')).json()) as { endpoints: { id: string }[] };
    expect(listedForB.endpoints.map(({ id }) => id)).not.toContain(endpointId);
    // The platform token acts as the default merchant: A's endpoint is not its either.
    expect((await call(PLATFORM_TOKEN, path)).status).toBe(404);

    const invoicesOnlyOfA = await keyOf(a.id, ['invoices:read', 'invoices:write']);
    expect((await call(invoicesOnlyOfA, '/v1/webhook-endpoints')).status).toBe(403);
    expect((await call(invoicesOnlyOfA, path)).status).toBe(403);
    expect((await post(invoicesOnlyOfA, '/v1/webhook-endpoints', { url: receiverA.url })).status).toBe(403);
    expect((await call(invoicesOnlyOfA, '/v1/webhook-deliveries')).status).toBe(403);

    // Untouched by all of the above, and still A's.
    const own = await call(a.key, path);
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ id: endpointId, enabled: true, url: receiverA.url });
    const listedForA = (await (await call(a.key, '/v1/webhook-endpoints')).json()) as { endpoints: { id: string }[] };
    expect(listedForA.endpoints.map(({ id }) => id)).toEqual([endpointId]);
  });

  it("an invoice's events go to its own merchant's endpoints only, each carrying the invoice exactly as GET shows it", async () => {
    await endpointOf(b.key, receiverB);
    await endpointOf(PLATFORM_TOKEN, receiverPlatform);
    const ofA = await invoiceOf(a, 'blockbee');
    await pay(ofA.id);
    const settled = await eventually(() => bodiesFor(receiverA, ofA.id).find((body) => body.type === 'invoice.settled'), "A's invoice.settled at A's receiver", PATIENCE);
    const view = await shown(a, ofA.id);
    expect(view).toMatchObject({ status: 'settled', merchantId: a.id, providerAccountId: a.accounts.blockbee });
    expect(view['checkoutUrl']).toBe(`${gw.gateway.settings.publicUrl}/checkout/${ofA.id}`);
    expect(settled.data.invoice).toEqual(view);

    // B's invoice, paid after A's: once its events reached B, A's would have too were they sent there.
    const ofB = await invoiceOf(b, 'blockbee');
    await pay(ofB.id);
    await eventually(() => bodiesFor(receiverB, ofB.id).some((body) => body.type === 'invoice.settled'), "B's invoice.settled at B's receiver", PATIENCE);
    expect(bodiesFor(receiverB, ofA.id)).toEqual([]);
    expect(bodiesFor(receiverPlatform, ofA.id)).toEqual([]);
    expect(bodiesFor(receiverA, ofB.id)).toEqual([]);
    expect(bodiesFor(receiverB, ofB.id).map((body) => body.data.invoice?.['merchantId'])).toEqual(bodiesFor(receiverB, ofB.id).map(() => b.id));
    // Nor does any other merchant's delivery log hold a delivery of A's invoice.
    for (const token of [b.key, PLATFORM_TOKEN]) {
      const log = (await (await call(token, `/v1/webhook-deliveries?invoiceId=${ofA.id}`)).json()) as { deliveries: unknown[] };
      expect(log.deliveries).toEqual([]);
    }
    // A's deliveries are A's to redeliver: another merchant's key finds none by that id.
    const ownLog = (await (await call(a.key, `/v1/webhook-deliveries?invoiceId=${ofA.id}`)).json()) as { deliveries: { id: string }[] };
    const deliveryId = ownLog.deliveries[0]?.id ?? 'none';
    expect((await post(b.key, `/v1/webhook-deliveries/${deliveryId}/redeliver`)).status).toBe(404);
    expect((await post(PLATFORM_TOKEN, `/v1/webhook-deliveries/${deliveryId}/redeliver`)).status).toBe(404);
    expect((await post(a.key, `/v1/webhook-deliveries/${deliveryId}/redeliver`)).status).toBe(202);
  });

  it("reconcile answers 404 for another merchant's invoice and 403 to a key without invoices:write, changing nothing", async () => {
    const ofA = await invoiceOf(a, 'blockonomics');
    await pay(ofA.id, true);
    const reconcile = `/v1/invoices/${ofA.id}/reconcile`;
    const refusedAsMissing = await post(b.key, reconcile);
    expect(refusedAsMissing.status).toBe(404);
    expect(JSON.stringify(await refusedAsMissing.json())).toContain('does not exist');
    const readerOfA = await keyOf(a.id, ['invoices:read', 'webhooks:manage']);
    expect((await post(readerOfA, reconcile)).status).toBe(403);
    expect(await shown(a, ofA.id)).toMatchObject({ status: 'new', payments: [] });
  });

  it.each(['blockonomics', 'blockbee'] as const)("%s: a merchant account's invoice whose callbacks were dropped is settled by reconciliation through its account", async (provider) => {
    const invoice = await invoiceOf(a, provider);
    expect(invoice).toMatchObject({ merchantId: a.id, providerAccountId: a.accounts[provider] });
    await pay(invoice.id, true);
    expect(await shown(a, invoice.id)).toMatchObject({ status: 'new', payments: [] });

    // With credentials the provider refuses on the account, reconciliation fails: it asks with the account's, not the platform's.
    const setCredentials = async (credentials: Record<string, string>) => {
      const res = await call(a.key, `/v1/merchants/${a.id}/provider-accounts/${a.accounts[provider]}`, { method: 'PATCH', body: JSON.stringify({ credentials, verify: false }) });
      expect(res.status).toBe(200);
    };
    await setCredentials({ ...a.credentials[provider], apiKey: 'live-key-the-simulator-refuses' });
    const refused = await post(a.key, `/v1/invoices/${invoice.id}/reconcile`);
    expect(refused.status).toBe(502);
    expect(await shown(a, invoice.id)).toMatchObject({ status: 'new', payments: [] });
    await setCredentials(a.credentials[provider]);

    const res = await post(a.key, `/v1/invoices/${invoice.id}/reconcile`);
    expect(res.status).toBe(200);
    const reconciled = (await res.json()) as { changed: number; invoice: InvoiceBody };
    expect(reconciled.changed).toBeGreaterThan(0);
    const view = await shown(a, invoice.id);
    expect(view).toMatchObject({ status: 'settled', amountPaid: invoice.amountDue, merchantId: a.id, providerAccountId: a.accounts[provider] });
    expect(reconciled.invoice).toEqual(view);
    const log = (await (await call(a.key, `/v1/deliveries?invoiceId=${invoice.id}`)).json()) as { deliveries: { source: string; verdict: string }[] };
    expect(log.deliveries.length).toBeGreaterThan(0);
    expect(log.deliveries.every((entry) => entry.source === 'reconcile' && entry.verdict === 'applied')).toBe(true);
    // What reconciliation applied reaches the merchant's endpoint like any callback's effect, as GET shows it.
    const settled = await eventually(() => bodiesFor(receiverA, invoice.id).find((body) => body.type === 'invoice.settled'), 'invoice.settled after reconcile', PATIENCE);
    expect(settled.data.invoice).toEqual(view);
  });
});
