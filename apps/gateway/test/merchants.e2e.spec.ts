import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { loadGatewayConfig } from '../src/config/load-config.js';
import { rotateCredentials } from '../src/cli/rotate-credentials.js';
import { DATABASE_URL, databaseEnv, dropTestSchemas, GatewayHarness, type InvoiceBody, REDIS_URL, satoshi } from './support/gateway-harness.js';

const PLATFORM_TOKEN = 'merchants-platform-token-0123456789';
const messageOf = (body: unknown): string => [(body as { message: string | string[] }).message].flat().join('; ');
const kek = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

interface Merchant {
  readonly id: string;
  readonly key: string;
  readonly keyId: string;
  readonly accounts: { readonly blockonomics: string; readonly blockbee: string };
  readonly secrets: readonly string[];
}

describe('many merchants: own provider accounts, scoped API keys, encrypted credentials (sandbox gateway over PostgreSQL)', () => {
  const firstKey = kek('k1');
  let env: Record<string, string>;
  let gw: GatewayHarness;
  let a: Merchant;
  let b: Merchant;

  const call = (token: string, path: string, init: RequestInit = {}) =>
    fetch(`${gw.url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) } });
  const post = (token: string, path: string, body: unknown) => call(token, path, { method: 'POST', body: JSON.stringify(body) });

  async function onboard(name: string): Promise<Merchant> {
    const merchant = (await (await post(PLATFORM_TOKEN, '/v1/merchants', { name })).json()) as { id: string };
    const created = (await (await post(PLATFORM_TOKEN, `/v1/merchants/${merchant.id}/api-keys`, { name: 'server' })).json()) as { id: string; key: string };
    const secrets = [`sandbox-${name}-blockonomics-key`, `${name}-callback-secret-${randomBytes(16).toString('hex')}`, `sandbox-${name}-blockbee-key`];
    const account = async (body: object) => {
      const res = await post(created.key, `/v1/merchants/${merchant.id}/provider-accounts`, body);
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const blockonomics = await account({ provider: 'blockonomics', label: 'btc', credentials: { apiKey: secrets[0], callbackSecret: secrets[1] } });
    const blockbee = await account({ provider: 'blockbee', credentials: { apiKey: secrets[2] } });
    return { id: merchant.id, key: created.key, keyId: created.id, accounts: { blockonomics, blockbee }, secrets };
  }

  async function invoiceOf(merchant: Merchant, provider: string, extra: object = {}): Promise<InvoiceBody> {
    const res = await post(merchant.key, '/v1/invoices', { provider, amount: '25.00', currency: 'USD', orderId: `order-${merchant.id}`, ...extra });
    expect(res.status).toBe(201);
    return (await res.json()) as InvoiceBody;
  }

  async function pay(invoice: InvoiceBody): Promise<void> {
    if (invoice['provider'] === 'blockonomics') await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue));
    else await gw.sandbox.blockbee.simulator.pay({ address: invoice.address, valueCoin: invoice.amountDue });
  }

  beforeAll(async () => {
    env = { ...databaseEnv('PostgreSQL'), REDIS_URL, API_TOKENS: PLATFORM_TOKEN, CREDENTIALS_KEYS: firstKey };
    gw = await GatewayHarness.start(env);
    a = await onboard('merchant-a');
    b = await onboard('merchant-b');
  });
  afterAll(async () => {
    await gw.close();
    await dropTestSchemas();
  });

  it('platform tokens manage merchants and act as the default merchant; a merchant key may not manage merchants', async () => {
    const listed = (await (await call(PLATFORM_TOKEN, '/v1/merchants')).json()) as { id: string }[];
    expect(listed.map(({ id }) => id)).toEqual(expect.arrayContaining(['default', a.id, b.id]));
    expect((await call(a.key, '/v1/merchants')).status).toBe(403);
    expect((await post(a.key, `/v1/merchants/${a.id}/api-keys`, {})).status).toBe(403);
    const keys = (await (await call(PLATFORM_TOKEN, `/v1/merchants/${a.id}/api-keys`)).json()) as Record<string, unknown>[];
    expect(keys).toEqual([expect.objectContaining({ id: a.keyId, scopes: ['invoices:read', 'invoices:write', 'provider-accounts:manage', 'webhooks:manage'], revokedAt: null })]);
    expect(JSON.stringify(keys)).not.toContain(a.key.slice(-43));
    const ownInvoice = await gw.createInvoice('blockbee');
    expect(ownInvoice).toMatchObject({ merchantId: 'default', providerAccountId: null });
  });

  it.each(['blockonomics', 'blockbee'])('%s: each merchant creates and settles invoices through its own account and callback URL', async (provider) => {
    for (const merchant of [a, b]) {
      const invoice = await invoiceOf(merchant, provider);
      const account = merchant.accounts[provider as 'blockonomics' | 'blockbee'];
      expect(invoice).toMatchObject({ merchantId: merchant.id, providerAccountId: account, status: 'new' });
      await pay(invoice);
      const settled = (await (await call(merchant.key, `/v1/invoices/${invoice.id}`)).json()) as InvoiceBody;
      expect(settled).toMatchObject({ status: 'settled', amountPaid: invoice.amountDue });
      const deliveries = await gw.deliveries(`invoiceId=${invoice.id}`);
      expect(deliveries.length).toBeGreaterThan(0);
      for (const delivery of deliveries) expect(delivery).toMatchObject({ verdict: 'applied', target: expect.stringContaining(`/v1/callbacks/${provider}/${account}`) });
    }
  });

  it('the sandbox pays a merchant invoice as the quick start does, through its account', async () => {
    const invoice = await invoiceOf(a, 'blockbee', { providerAccountId: a.accounts.blockbee, provider: undefined });
    const paid = await post(PLATFORM_TOKEN, `/sandbox/invoices/${invoice.id}/pay`, {});
    expect(paid.status).toBe(200);
    expect((await (await call(a.key, `/v1/invoices/${invoice.id}`)).json()) as InvoiceBody).toMatchObject({ status: 'settled', providerAccountId: a.accounts.blockbee });
  });

  it('the OpenAPI document covers the merchant routes', async () => {
    const document = (await (await fetch(`${gw.url}/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/merchants',
        '/v1/merchants/{merchantId}',
        '/v1/merchants/{merchantId}/api-keys',
        '/v1/merchants/{merchantId}/api-keys/{keyId}',
        '/v1/merchants/{merchantId}/provider-accounts',
        '/v1/merchants/{merchantId}/provider-accounts/{accountId}',
      ]),
    );
    expect(Object.keys(document.paths['/v1/merchants/{merchantId}/provider-accounts/{accountId}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch']);
  });

  it("blockonomics: a callback with merchant A's secret sent to merchant B's URL is refused", async () => {
    const invoice = await invoiceOf(b, 'blockonomics');
    const query = `secret=${a.secrets[1]}&addr=${invoice.address}&status=2&value=${satoshi(invoice.amountDue)}&txid=${randomBytes(32).toString('hex')}`;
    const res = await fetch(`${gw.url}/v1/callbacks/blockonomics/${b.accounts.blockonomics}?${query}`);
    expect(res.status).toBe(403);
    expect((await (await call(b.key, `/v1/invoices/${invoice.id}`)).json()) as InvoiceBody).toMatchObject({ status: 'new', payments: [] });
  });

  it("blockbee: a signed callback for merchant A's invoice sent to merchant B's URL is refused", async () => {
    const invoice = await invoiceOf(a, 'blockbee');
    const simulator = gw.sandbox.blockbee.simulator;
    const callbackUrl = simulator.address(invoice.address)?.callbackUrl ?? '';
    expect(callbackUrl).toContain(a.accounts.blockbee);
    // BlockBee signs every account's callbacks with one key: the same signed delivery, routed to B's account.
    const misrouted = callbackUrl.replace(a.accounts.blockbee, b.accounts.blockbee);
    const created = await fetch(`${simulator.baseUrl}/btc/create/?apikey=${b.secrets[2]}&callback=${encodeURIComponent(misrouted)}&pending=1&post=1&json=1`);
    const { address_in: address } = (await created.json()) as { address_in: string };
    const paid = await simulator.pay({ address, valueCoin: invoice.amountDue });
    expect(paid.attempts.map((attempt) => attempt.responseStatus)).toEqual(expect.arrayContaining([403]));
    await gw.flushDeliveryLog();
    const refused = (await gw.deliveries(`provider=blockbee&verdict=rejected&limit=5`))[0];
    expect(refused?.reason).toContain('does not belong to the provider account');
    expect((await (await call(a.key, `/v1/invoices/${invoice.id}`)).json()) as InvoiceBody).toMatchObject({ status: 'new', payments: [] });
  });

  it("each merchant key sees only its own data; another merchant's ids answer 404", async () => {
    const invoice = await invoiceOf(a, 'blockbee', { orderId: 'shared-order-id' });
    await invoiceOf(b, 'blockbee', { orderId: 'shared-order-id' });
    expect((await call(b.key, `/v1/invoices/${invoice.id}`)).status).toBe(404);
    expect((await call(a.key, `/v1/invoices/${invoice.id}`)).status).toBe(200);
    const found = (await (await call(b.key, '/v1/invoices?orderId=shared-order-id')).json()) as InvoiceBody[];
    expect(found.map((each) => each['merchantId'])).toEqual([b.id]);
    expect((await call(b.key, `/v1/merchants/${a.id}/provider-accounts`)).status).toBe(404);
    expect((await call(b.key, `/v1/merchants/${a.id}/provider-accounts/${a.accounts.blockbee}`)).status).toBe(404);
    expect((await call(b.key, `/v1/merchants/${b.id}/provider-accounts/${a.accounts.blockbee}`)).status).toBe(404);
    expect((await post(b.key, '/v1/invoices', { providerAccountId: a.accounts.blockbee, amount: '10.00', currency: 'USD', orderId: 'o' })).status).toBe(422);
    expect((await post(b.key, '/v1/invoices', { provider: 'blockbee', merchantId: a.id, amount: '10.00', currency: 'USD', orderId: 'o' })).status).toBe(404);
    const deliveries = (await (await call(b.key, '/v1/deliveries?limit=500')).json()) as { deliveries: { invoiceId: string | null }[] };
    const theirs = new Set((await gw.store.invoices.findByOrderId('shared-order-id')).filter((each) => each.merchantId !== b.id).map(({ id }) => id));
    expect(deliveries.deliveries.filter((delivery) => delivery.invoiceId === null || theirs.has(delivery.invoiceId))).toEqual([]);
    const accounts = (await (await call(a.key, `/v1/merchants/${a.id}/provider-accounts`)).json()) as Record<string, unknown>[];
    expect(accounts.map((account) => account['id']).sort()).toEqual([a.accounts.blockbee, a.accounts.blockonomics].sort());
    expect(accounts[0]).not.toHaveProperty('credentials');
    expect(accounts.find((account) => account['provider'] === 'blockbee')?.['callbackUrl']).toBe(`${gw.gateway.settings.publicUrl}/v1/callbacks/blockbee/${a.accounts.blockbee}`);
  });

  it('scopes Idempotency-Keys per merchant: the same key creates one invoice for each merchant, and replays for each', async () => {
    const key = `order-key-${randomBytes(8).toString('hex')}`;
    const create = (merchant: Merchant) =>
      call(merchant.key, '/v1/invoices', { method: 'POST', headers: { 'Idempotency-Key': key }, body: JSON.stringify({ provider: 'blockbee', amount: '10.00', currency: 'USD', orderId: 'same' }) });
    const [first, second] = [await create(a), await create(b)];
    expect([first.status, second.status]).toEqual([201, 201]);
    const [ofA, ofB] = [(await first.json()) as InvoiceBody, (await second.json()) as InvoiceBody];
    expect(ofA.id).not.toBe(ofB.id);
    expect([ofA['merchantId'], ofB['merchantId']]).toEqual([a.id, b.id]);
    const again = await create(a);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as InvoiceBody).id).toBe(ofA.id);
  });

  it('refuses bad input with a 4xx naming the problem, and stores nothing', async () => {
    const accounts = `/v1/merchants/${a.id}/provider-accounts`;
    const before = ((await (await call(a.key, accounts)).json()) as unknown[]).length;
    const refusals = [
      [await post(a.key, accounts, { provider: 'paypal', credentials: { apiKey: 'x' } }), 422, 'provider "paypal" is unknown'],
      [await post(a.key, accounts, { provider: 'blockbee', credentials: { apiKey: 'sandbox-wrong-but-allowed-prefix' }, settings: { colour: 'red' } }), 422, 'settings.colour is not a blockbee setting'],
      [await post(a.key, accounts, { provider: 'blockbee', credentials: {}, verify: false }), 422, 'credentials: apiKey'],
      [await post(a.key, accounts, { provider: 'blockbee', credentials: { apiKey: 'live-key-the-simulator-refuses' } }), 422, 'blockbee refused them'],
      [await post(a.key, accounts, { provider: 'blockonomics', credentials: { apiKey: 'sandbox-key', callbackSecret: 'short' }, verify: false }), 422, 'callbackSecret'],
      [await post(a.key, accounts, { provider: 'blockbee', credentials: { apiKey: 'k' }, settings: { apiKey: 'k' } }), 422, 'is a credential'],
    ] as const;
    for (const [res, status, message] of refusals) {
      expect(res.status).toBe(status);
      expect(messageOf(await res.json())).toContain(message);
    }
    expect(((await (await call(a.key, accounts)).json()) as unknown[]).length).toBe(before);
    expect((await post(PLATFORM_TOKEN, '/v1/merchants', { name: '' })).status).toBe(400);
    expect((await post(PLATFORM_TOKEN, '/v1/merchants', { name: 'x', unexpected: 1 })).status).toBe(400);
    expect((await post(PLATFORM_TOKEN, `/v1/merchants/${a.id}/api-keys`, { scopes: ['everything'] })).status).toBe(400);
    expect((await post(PLATFORM_TOKEN, '/v1/merchants/mer_doesnotexist2345678/api-keys', {})).status).toBe(404);
    // With verify: false the live check is skipped (an offline set-up), the option rules still hold.
    const offline = await post(a.key, accounts, { provider: 'blockbee', label: 'offline', credentials: { apiKey: 'live-key-the-simulator-refuses' }, verify: false });
    expect(offline.status).toBe(201);
    const { id: offlineId } = (await offline.json()) as { id: string };
    // Two enabled accounts of one provider: the body must name one.
    const ambiguous = await post(a.key, '/v1/invoices', { provider: 'blockbee', amount: '10.00', currency: 'USD', orderId: 'o' });
    expect(ambiguous.status).toBe(422);
    expect(JSON.stringify(await ambiguous.json())).toContain(offlineId);
    expect((await call(a.key, `${accounts}/${offlineId}`, { method: 'DELETE' })).status).toBe(200);
    const disabled = await post(a.key, '/v1/invoices', { providerAccountId: offlineId, amount: '10.00', currency: 'USD', orderId: 'o' });
    expect(disabled.status).toBe(422);
    expect(JSON.stringify(await disabled.json())).toContain('disabled');
    // A key without a scope: 403 naming it.
    const readOnly = (await (await post(PLATFORM_TOKEN, `/v1/merchants/${a.id}/api-keys`, { scopes: ['invoices:read'] })).json()) as { key: string };
    const forbidden = await post(readOnly.key, '/v1/invoices', { provider: 'blockonomics', amount: '1.00', currency: 'USD', orderId: 'o' });
    expect(forbidden.status).toBe(403);
    expect(JSON.stringify(await forbidden.json())).toContain('invoices:write');
    expect((await call(readOnly.key, `${accounts}`)).status).toBe(403);
    expect((await call(`${a.key.slice(0, -1)}x`, '/v1/invoices?orderId=o')).status).toBe(401);
  });

  it('a disabled account still takes the callbacks of its invoices', async () => {
    const invoice = await invoiceOf(b, 'blockonomics');
    expect((await call(b.key, `/v1/merchants/${b.id}/provider-accounts/${b.accounts.blockonomics}`, { method: 'DELETE' })).status).toBe(200);
    await pay(invoice);
    expect(((await (await call(b.key, `/v1/invoices/${invoice.id}`)).json()) as InvoiceBody).status).toBe('settled');
    const enabled = await call(b.key, `/v1/merchants/${b.id}/provider-accounts/${b.accounts.blockonomics}`, { method: 'PATCH', body: JSON.stringify({ enabled: true }) });
    expect(enabled.status).toBe(200);
  });

  it('a revoked key is refused at once on a second instance', async () => {
    const second = await GatewayHarness.start(env);
    try {
      const created = (await (await post(PLATFORM_TOKEN, `/v1/merchants/${b.id}/api-keys`, { name: 'to revoke' })).json()) as { id: string; key: string };
      const read = () => fetch(`${second.url}/v1/merchants/${b.id}/provider-accounts`, { headers: { Authorization: `Bearer ${created.key}` } });
      expect((await read()).status).toBe(200);
      expect((await call(PLATFORM_TOKEN, `/v1/merchants/${b.id}/api-keys/${created.id}`, { method: 'DELETE' })).status).toBe(204);
      const refused = await read();
      expect(refused.status).toBe(401);
      expect(JSON.stringify(await refused.json())).toContain('revoked');
    } finally {
      await second.close();
    }
  });

  it('no table holds a provider credential, API key, platform token or credential key in clear', async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const schema = env['DATABASE_SCHEMA'] as string;
      const { rows: tables } = await client.query<{ table_name: string }>('select table_name from information_schema.tables where table_schema = $1', [schema]);
      expect(tables.map(({ table_name: table }) => table)).toEqual(expect.arrayContaining(['merchants', 'api_keys', 'provider_accounts', 'invoices', 'callback_deliveries']));
      let dump = '';
      for (const { table_name: table } of tables) {
        const { rows } = await client.query(`select row_to_json(t)::text as row from ${schema}.${table} t`);
        dump += rows.map((row: { row: string }) => row.row).join('\n');
      }
      expect(dump).toContain(a.accounts.blockbee);
      const secrets = [PLATFORM_TOKEN, firstKey.slice(3), ...[a, b].flatMap((merchant) => [merchant.key, merchant.key.slice(-43), ...merchant.secrets])];
      for (const secret of secrets) expect(dump).not.toContain(secret);
    } finally {
      await client.end();
    }
  });

  it('live mode refuses to start without CREDENTIALS_KEYS once the database holds provider accounts', async () => {
    const { CREDENTIALS_KEYS: _omitted, ...withoutKeys } = env;
    const live = { ...withoutKeys, PUBLIC_URL: 'https://pay.example.com', BLOCKBEE_API_KEY: 'live-blockbee-api-key' };
    await expect(GatewayHarness.start(live)).rejects.toThrow(/CREDENTIALS_KEYS is required: the database holds \d+ merchant provider account/);
  });

  it('rotate-credentials re-wraps every data key under the new key; every account works with the new key alone', async () => {
    const newKey = kek('k2');
    const report = await rotateCredentials(loadGatewayConfig({ ...env, MODE: 'sandbox', CREDENTIALS_KEYS: `${newKey},${firstKey}` }));
    expect(report).toContain('re-wrapped under "k2"');
    expect(await rotateCredentials(loadGatewayConfig({ ...env, MODE: 'sandbox', CREDENTIALS_KEYS: `${newKey},${firstKey}` }))).toContain(' 0 merchant data key(s) re-wrapped');
    const rotated = await GatewayHarness.start({ ...env, CREDENTIALS_KEYS: newKey });
    try {
      for (const merchant of [a, b]) {
        for (const provider of ['blockonomics', 'blockbee'] as const) {
          const res = await fetch(`${rotated.url}/v1/invoices`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${merchant.key}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ providerAccountId: merchant.accounts[provider], amount: '10.00', currency: 'USD', orderId: 'after-rotation' }),
          });
          expect(res.status).toBe(201);
          const invoice = (await res.json()) as InvoiceBody;
          if (provider === 'blockonomics') await rotated.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue));
          else await rotated.sandbox.blockbee.simulator.pay({ address: invoice.address, valueCoin: invoice.amountDue });
          expect(await rotated.invoice(invoice.id)).toMatchObject({ status: 'settled' });
        }
      }
    } finally {
      await rotated.close();
    }
  });
});
