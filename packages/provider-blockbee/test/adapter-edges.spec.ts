import { PaymentBelowMinimumError, ProviderError, Secret } from '@cryptopay/provider-kit';
import { BlockBeeApiClient } from '../src/index.js';
import { Shop } from './support/shop.js';

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

describe('the BlockBee adapter at the edges of what BlockBee answers', () => {
  let shop: Shop;

  beforeAll(async () => {
    shop = await Shop.open();
  });

  afterAll(async () => {
    await shop.close();
  });

  it("declares what BlockBee offers: GET and POST webhooks, a pending one before the confirmed one, RSA-SHA256 signatures, its logs, and three days of retries", () => {
    expect(shop.adapter.capabilities).toEqual({
      coins: expect.any(Array),
      callbackMethods: ['GET', 'POST'],
      pendingNotifications: true,
      signatureScheme: 'rsa-sha256',
      reconciliation: 'provider-log',
      callbackRetryWindowMs: 259_200_000,
    });
  });

  it('declares its secrets: the nonce parameter of every callback URL, and the API key wherever its value shows', () => {
    expect(shop.adapter.secrets.queryParams).toEqual(['nonce']);
    expect(shop.adapter.secrets.values?.map((secret) => secret.reveal())).toEqual([shop.simulator.apiKey]);
  });

  it('refuses to reconcile an invoice in a coin BlockBee is not mapped for, naming the coin', async () => {
    const invoice = await shop.openInvoice();
    const error = await failure(shop.adapter.reconcile({ ...invoice, coin: 'XMR' }));
    expect([error.kind, error.message]).toEqual(['rejected', 'blockbee: cannot reconcile an invoice in XMR']);
  });

  it('refuses to reconcile an invoice without a callback URL (nothing to look up), naming the invoice', async () => {
    const invoice = await shop.openInvoice();
    const error = await failure(shop.adapter.reconcile({ ...invoice, providerReference: null }));
    expect([error.kind, error.message]).toEqual(['rejected', `blockbee: invoice ${invoice.id} has no BlockBee callback URL to look up`]);
  });

  it("rounds a minimum written with more decimals than the coin has up: 0.000390630001 BTC is 39064 satoshi, above a 39063-satoshi invoice", async () => {
    // 25.00 USD at 64000 USD/BTC is 0.000390625 BTC: 39063 satoshi, rounded up.
    shop.simulator.setMinimum('btc', '0.000390630001');
    try {
      const refused = await shop.openInvoice().catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(PaymentBelowMinimumError);
      expect((refused as Error).message).toContain('minimum transaction of 0.00039064 BTC');
    } finally {
      shop.simulator.setMinimum('btc', '0.00008');
    }
  });
});

describe("BlockBee's API client, as exported", () => {
  let shop: Shop;

  beforeAll(async () => {
    shop = await Shop.open();
  });

  afterAll(async () => {
    await shop.close();
  });

  const client = (maxAttempts?: number) =>
    new BlockBeeApiClient({ apiKey: new Secret(shop.simulator.apiKey), baseUrl: shop.simulator.baseUrl, ...(maxAttempts === undefined ? {} : { maxAttempts }) });

  it('retries a failed lookup by default', async () => {
    shop.simulator.failNext('info', { status: 503, error: 'Maintenance' });
    await expect(client().coinInfo('btc')).resolves.toMatchObject({ minimumTransactionCoin: '0.00008' });
  });

  it('tries a lookup only maxAttempts times', async () => {
    shop.simulator.failNext('info', { status: 503, error: 'Maintenance' });
    const error = await failure(client(1).coinInfo('btc'));
    expect([error.kind, error.httpStatus]).toEqual(['unavailable', 503]);
  });
});
