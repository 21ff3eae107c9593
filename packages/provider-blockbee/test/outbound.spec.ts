import { type CoinDefinition } from '@cryptopay/invoice';
import { type PaymentRequestInput, ProviderError, UnsupportedCurrencyError } from '@cryptopay/provider-kit';
import { BLOCKBEE_COINS, type BlockBeeAdapter } from '../src/index.js';
import { BlockBeeSimulator } from '../src/simulator/index.js';
import { adapterFrom } from './support/callbacks.js';
import { BTC, LOOPBACK } from './support/harness.js';

describe('outbound calls against the simulator', () => {
  let simulator: BlockBeeSimulator;
  let adapter: BlockBeeAdapter;
  const INVOICE_ID = '0d9c6a2e-4f1b-4c8e-b7a3-5e2f9d1c8b60';
  const input = (invoiceId = INVOICE_ID, coin: CoinDefinition = BTC): PaymentRequestInput => ({
    invoiceId,
    coin,
    fiat: { currency: 'USD', minor: 2500n },
    callbackUrl: 'https://shop.example/v1/callbacks/blockbee',
  });

  beforeAll(async () => {
    simulator = await BlockBeeSimulator.start();
  });

  beforeEach(() => {
    adapter = adapterFrom({ apiKey: simulator.apiKey, apiBaseUrl: simulator.baseUrl, allowlist: LOOPBACK, publicKeyPem: simulator.publicKeyPem });
  });

  afterAll(async () => {
    await simulator.close();
  });

  async function failure(promise: Promise<unknown>): Promise<ProviderError> {
    const error = await promise.then(() => null, (thrown: unknown) => thrown);
    if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
    return error;
  }

  describe('a payment request', () => {
    it('creates an address for a per-invoice callback URL carrying the invoice id and a fresh nonce, URL-encoded', async () => {
      const request = await adapter.createPaymentRequest(input());
      const callback = new URL(request.providerReference!);
      expect(callback.searchParams.get('invoice')).toBe(INVOICE_ID);
      expect(callback.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(simulator.address(request.address)).toMatchObject({
        callbackUrl: request.providerReference,
        notifyPending: true,
        confirmations: 1,
        encoding: 'json',
      });
      const again = await adapter.createPaymentRequest(input());
      expect(new URL(again.providerReference!).searchParams.get('nonce')).not.toBe(callback.searchParams.get('nonce'));
    });

    it.each([['inv_1'], ['%00'], ['\u0000'], ['']])('refuses invoice id %j before calling out: callbacks name the invoice by a UUID', async (invoiceId) => {
      const addressesBefore = [...simulator.ledger.addresses()].length;
      const error = await failure(adapter.createPaymentRequest(input(invoiceId)));
      expect(error).toMatchObject({ kind: 'rejected', message: 'blockbee: invoice ids must be UUIDs, as BlockBee callbacks name the invoice by one' });
      expect([...simulator.ledger.addresses()]).toHaveLength(addressesBefore);
    });

    it('quotes from convert, rounded up, and shows the minimum transaction from info', async () => {
      simulator.setRate('btc', '64000');
      simulator.setMinimum('btc', '0.00008');
      const request = await adapter.createPaymentRequest(input());
      // 25.00 / 64000 = 0.000390625 BTC → 39063 satoshi, rounded up.
      expect(request).toMatchObject({ amountDue: 39_063n, minimumPayment: 8_000n, quotedBy: 'rate' });
      expect(request.rate).toBe('63999.18081048562578399');
    });

    it('refuses a currency BlockBee does not price (the prices of its info), naming the ones it does, before an address is made', async () => {
      simulator.setRate('btc', '58000', 'EUR');
      const addressesBefore = [...simulator.ledger.addresses()].length;
      const error = await adapter.createPaymentRequest({ ...input(), fiat: { currency: 'CHF', minor: 2500n } }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(UnsupportedCurrencyError);
      expect(error).toMatchObject({ currency: 'CHF', supported: ['EUR', 'USD'], message: 'blockbee cannot price invoices in CHF: it supports EUR, USD' });
      expect([...simulator.ledger.addresses()]).toHaveLength(addressesBefore);
    });

    it('answers the same address for the same callback URL, as BlockBee does', async () => {
      const create = async () => {
        const url = `${simulator.baseUrl}/btc/create/?apikey=${simulator.apiKey}&callback=${encodeURIComponent('https://shop.example/cb?invoice=a&nonce=b')}`;
        return ((await (await fetch(url)).json()) as { address_in: string }).address_in;
      };
      expect(await create()).toBe(await create());
    });

    it('refuses a coin BlockBee is not mapped for, or the merchant does not accept, before calling out', async () => {
      const error = await failure(adapter.createPaymentRequest(input(INVOICE_ID, { code: 'XMR', decimals: 12, name: 'Monero' })));
      expect(error).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/^blockbee: coin XMR is not accepted through BlockBee \(accepted: BTC, /) });
      const btcOnly = adapterFrom({ apiKey: simulator.apiKey, apiBaseUrl: simulator.baseUrl, coins: ['BTC'] });
      expect(btcOnly.capabilities.coins).toEqual(['BTC']);
      const usdt = BLOCKBEE_COINS.find((coin) => coin.code === 'USDT_TRC20')!;
      expect(await failure(btcOnly.createPaymentRequest(input(INVOICE_ID, usdt)))).toMatchObject({
        kind: 'rejected',
        message: 'blockbee: coin USDT_TRC20 is not accepted through BlockBee (accepted: BTC)',
      });
      expect(() => adapterFrom({ apiKey: 'k', coins: ['XMR'] })).toThrow('coins must contain only BTC, ');
    });

    it('quotes an 18-decimal token exactly (BEP-20 USDT, registered by the app)', async () => {
      const usdt = BLOCKBEE_COINS.find((coin) => coin.code === 'USDT_BEP20')!;
      expect(usdt.decimals).toBe(18);
      const request = await adapter.createPaymentRequest(input(INVOICE_ID, usdt));
      expect(request).toMatchObject({ amountDue: 25_000_000_000_000_000_000n, rate: '1', minimumPayment: 1_000_000_000_000_000_000n });
    });
  });

  describe('the error envelope, mapped to typed errors with no secret in them', () => {
    const secrets = () => [simulator.apiKey];

    it('maps a refused API key to auth', async () => {
      const wrong = adapterFrom({ apiKey: 'not-the-key', apiBaseUrl: simulator.baseUrl });
      const error = await failure(wrong.createPaymentRequest(input()));
      expect(error).toMatchObject({ kind: 'auth', httpStatus: 401 });
      expect(error.message).toContain('API Key not valid');
      expect(error.message).not.toContain('not-the-key');
    });

    it.each([
      ['400 with a message', { status: 400, error: 'Invalid callback URL' }, 'rejected', 'Invalid callback URL'],
      ['500', { status: 500, error: 'Internal error' }, 'unavailable', 'Internal error'],
      ['200 with status error', { status: 200, error: 'Address limit reached' }, 'rejected', 'Address limit reached'],
      ['an HTML 404 page', { status: 404, rawBody: '<html>Not Found</html>' }, 'rejected', 'no error envelope'],
      ['a success without address_in', { status: 200, rawBody: '{"status": "success", "callback_url": "x"}' }, 'invalid-response', 'address_in'],
      ['a body that is not JSON', { status: 200, rawBody: 'OK' }, 'invalid-response', 'not JSON'],
    ])('create answering %s → %s', async (_name, injected, kind, detail) => {
      simulator.failNext('create', injected);
      const error = await failure(adapter.createPaymentRequest(input()));
      expect(error.kind).toBe(kind);
      expect(error.message).toContain(detail);
      for (const secret of secrets()) expect(error.message).not.toContain(secret);
      expect(error.message).not.toMatch(/nonce(=|%3D)[A-Za-z0-9_-]{22}/);
      expect(error.message).toContain('apikey=[redacted]');
    });

    it('scrubs the nonce and the API key from an error that echoes the request to create', async () => {
      simulator.failNext('create', { status: 400, error: 'Invalid callback URL', echoRequest: true });
      const error = await failure(adapter.createPaymentRequest(input()));
      expect(error.message).toContain(`Invalid callback URL for callback https://shop.example/v1/callbacks/blockbee?invoice=${INVOICE_ID}&nonce=[redacted]`);
      expect(error.message).not.toContain(simulator.apiKey);
      expect(error.message).not.toMatch(/nonce(=|%3D)(?!%5Bredacted|\[redacted)/);
    });

    it('scrubs the nonce of a stored callback URL from an error that echoes the logs request', async () => {
      const nonce = 'N0nce-of-a-stored-invoice';
      simulator.failNext('logs', { status: 400, error: 'Unknown callback', echoRequest: true });
      const providerReference = `https://shop.example/cb?invoice=x&nonce=${nonce}`;
      const error = await failure(adapter.fetchLogs({ id: 'inv_x', coin: 'BTC', providerReference }));
      expect(error.message).toContain('Unknown callback for callback https://shop.example/cb?invoice=x&nonce=[redacted]');
      expect(error.message).not.toContain(nonce);
      expect(error.message).not.toContain(simulator.apiKey);
    });

    it('shortens a long error only after scrubbing, so no part of the API key is left at the cut', async () => {
      simulator.failNext('create', { status: 400, error: `${'x'.repeat(190)} ${simulator.apiKey}` });
      const error = await failure(adapter.createPaymentRequest(input()));
      expect(error.message).toContain('x'.repeat(190));
      expect(error.message).not.toContain(simulator.apiKey.slice(0, 6));
    });

    it('retries a 503 and succeeds when BlockBee recovers', async () => {
      simulator.failNext('convert', { status: 503, error: 'Maintenance' });
      await expect(adapter.createPaymentRequest(input())).resolves.toMatchObject({ amountDue: expect.any(BigInt) });
    });

    it('gives up on a lasting outage as unavailable (retryable)', async () => {
      for (let i = 0; i < 3; i++) simulator.failNext('info', { status: 502, rawBody: '<html>Bad gateway</html>' });
      const error = await failure(adapter.createPaymentRequest(input()));
      expect(error).toMatchObject({ kind: 'unavailable', httpStatus: 502, retryable: true });
    });

    it('maps a zero quote to invalid-response rather than an invoice for nothing', async () => {
      simulator.failNext('convert', { status: 200, rawBody: '{"status": "success", "value_coin": "0", "exchange_rate": "0"}' });
      expect(await failure(adapter.createPaymentRequest(input()))).toMatchObject({ kind: 'invalid-response' });
    });

    it('maps an unreachable API to unavailable', async () => {
      const nowhere = adapterFrom({ apiKey: 'k', apiBaseUrl: 'http://127.0.0.1:9', timeoutMs: 500 });
      expect(await failure(nowhere.createPaymentRequest(input()))).toMatchObject({ kind: 'unavailable' });
    });

    it('maps an unknown callback URL in the logs call to rejected', async () => {
      const error = await failure(adapter.fetchLogs({ id: 'inv_x', coin: 'BTC', providerReference: 'https://shop.example/cb?invoice=x&nonce=y' }));
      expect(error).toMatchObject({ kind: 'rejected', httpStatus: 404 });
    });
  });
});
