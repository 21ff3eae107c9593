import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { DEFAULT_COINS } from '@cryptopay/invoice';
import { freePort } from '@cryptopay/test-servers';
import { ProviderError, type PaymentRequestInput, Secret, UnsupportedCurrencyError } from '@cryptopay/provider-kit';
import { generateCallbackSecret } from '@cryptopay/provider-kit/options';
import { type BlockonomicsAdapter, BlockonomicsApiClient } from '../src/index.js';
import { type BlockonomicsSimulator } from '../src/simulator/index.js';
import { adapterFor, API_KEY, BCH, BTC, startSimulator } from './support.js';

const CALLBACK_BASE = 'https://shop.example.com/v1/callbacks/blockonomics';
const secret = generateCallbackSecret();
let simulator: BlockonomicsSimulator;
let adapter: BlockonomicsAdapter;

function input(overrides: Partial<PaymentRequestInput> = {}): PaymentRequestInput {
  return { invoiceId: 'inv_1', coin: BTC, fiat: { currency: 'USD', minor: 2500n }, callbackUrl: CALLBACK_BASE, ...overrides };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  const message = (error as ProviderError).message;
  expect(message).not.toContain(secret);
  expect(message).not.toContain(API_KEY);
  return error as ProviderError;
}

beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(() => simulator.close());
beforeEach(() => {
  adapter = adapterFor(simulator, { callbackSecret: secret });
  simulator.setPrice('BTC', 'USD', '64123.45');
});

describe('createPaymentRequest', () => {
  test('asks for an address with the callback URL and secret as match_callback, and quotes fiat / price rounded up', async () => {
    const request = await adapter.createPaymentRequest(input());
    // 25.00 / 64123.45 = 0.000389873… BTC → 38988 satoshi, rounded up.
    expect(request).toMatchObject({ amountDue: 38_988n, rate: '64123.45', quotedBy: 'rate', minimumPayment: null });
    expect(request.address).toMatch(/^bc1q/);
    expect(request.providerReference).toMatch(/^xpub/);
    expect(simulator.storeUrlOf(request.address)).toBe(`${CALLBACK_BASE}?secret=${secret}`);
  });

  test('hands out a new address per invoice', async () => {
    const addresses = await Promise.all([1, 2, 3].map(() => adapter.createPaymentRequest(input()).then((r) => r.address)));
    expect(new Set(addresses).size).toBe(3);
  });

  test('reads the price exactly from its JSON text, however many digits it has', async () => {
    simulator.setPrice('BTC', 'USD', '64123.123456789012345678');
    const request = await adapter.createPaymentRequest(input({ fiat: { currency: 'USD', minor: 100_000_000n } }));
    expect(request.rate).toBe('64123.123456789012345678');
    // 1,000,000.00 USD × 10^8 / 64123.123456789012345678, rounded up.
    expect(request.amountDue).toBe(1_559_499_828n); // 1559499827.97… rounded up
  });

  test('quotes BCH from the BCH host', async () => {
    simulator.setPrice('BCH', 'EUR', '400');
    const request = await adapter.createPaymentRequest(input({ coin: BCH, fiat: { currency: 'EUR', minor: 1_000n } }));
    expect(request).toMatchObject({ amountDue: 2_500_000n, rate: '400' });
    expect(request.address).toMatch(/^bitcoincash:q/);
  });

  test('refuses coins it cannot invoice in', async () => {
    const ltc = DEFAULT_COINS.find((coin) => coin.code === 'LTC')!;
    const error = await failure(adapter.createPaymentRequest(input({ coin: ltc })));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('cannot invoice in LTC; supported coins: BTC, BCH');
  });
});

describe('errors a merchant can act on', () => {
  test('a wrong API key is an auth error', async () => {
    const wrongKey = adapterFor(simulator, { apiKey: 'not-the-key', callbackSecret: secret });
    const error = await failure(wrongKey.createPaymentRequest(input()));
    expect([error.kind, error.httpStatus, error.retryable]).toEqual(['auth', 401, false]);
    expect(error.message).toContain('API key was refused');
  });

  test.each([
    ['an error code from 1000 to 1014', 400, '{"error": {"code": 1002, "message": "Address generation failed"}}'],
    ['a gap limit message', 400, '{"message": "Gap limit reached for xpub. Please use a new xpub"}'],
    ['a credit message', 402, '{"message": "Please top up credit"}'],
  ])('%s is a gap-limit error', async (_case, status, body) => {
    simulator.failNewAddress({ status, body });
    const error = await failure(adapter.createPaymentRequest(input()));
    expect(error.kind).toBe('gap-limit');
    expect(error.message).toContain('reuse unpaid invoices');
  });

  test('no store with our callback URL is a rejection that says how to fix the store', async () => {
    const strict = await startSimulator({ storeCallbackUrls: ['https://elsewhere.example.com/callback?secret=abc'] });
    try {
      const error = await failure(adapterFor(strict, { callbackSecret: secret }).createPaymentRequest(input()));
      expect(error.kind).toBe('rejected');
      expect(error.message).toContain("no Blockonomics store has this HTTP Callback URL; set the store's callback URL");
    } finally {
      await strict.close();
    }
  });

  test('an unsupported currency (price null) is the caller\'s error, refused before an address is made', async () => {
    const issued = simulator.issuedAddresses().length;
    const error = await adapter.createPaymentRequest(input({ fiat: { currency: 'XAF', minor: 1_000n } })).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UnsupportedCurrencyError);
    expect((error as UnsupportedCurrencyError).currency).toBe('XAF');
    expect(simulator.issuedAddresses()).toHaveLength(issued);
  });

  test('an unsupported currency names the currency and where Blockonomics lists the ones it prices', async () => {
    const error = (await adapter.createPaymentRequest(input({ fiat: { currency: 'XAF', minor: 1_000n } })).catch((thrown: unknown) => thrown)) as UnsupportedCurrencyError;
    expect(error.supported).toEqual([]);
    expect(error.message).toBe('blockonomics cannot price invoices in XAF: see https://www.blockonomics.co/api/currencies for the currencies it supports');
  });

  test('a currency priced before lets no other currency skip the check: an unpriced one still costs no address', async () => {
    await adapter.createPaymentRequest(input());
    const issued = simulator.issuedAddresses().length;
    await expect(adapter.createPaymentRequest(input({ fiat: { currency: 'XAF', minor: 1_000n } }))).rejects.toBeInstanceOf(UnsupportedCurrencyError);
    expect(simulator.issuedAddresses()).toHaveLength(issued);
  });

  test('a currency Blockonomics stops pricing costs one address at most, then is asked about first again', async () => {
    simulator.setPrice('BTC', 'GBP', '50000');
    await adapter.createPaymentRequest(input({ fiat: { currency: 'GBP', minor: 1_000n } }));
    simulator.setPrice('BTC', 'GBP', null);
    const issued = simulator.issuedAddresses().length;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await expect(adapter.createPaymentRequest(input({ fiat: { currency: 'GBP', minor: 1_000n } }))).rejects.toBeInstanceOf(UnsupportedCurrencyError);
    }
    expect(simulator.issuedAddresses()).toHaveLength(issued + 1); // the first, asked in parallel
  });

  test.each([['6.4e4'], ['0'], ['-5']])('an unusable price %s is an invalid response', async (price) => {
    simulator.setPrice('BTC', 'USD', price);
    expect((await failure(adapter.createPaymentRequest(input()))).kind).toBe('invalid-response');
  });

  test('an unusable price names the pair and what is wrong with it', async () => {
    simulator.setPrice('BTC', 'USD', '0');
    expect((await failure(adapter.createPaymentRequest(input()))).message).toMatch(/^blockonomics: sent an unusable BTC\/USD price: .+/);
  });

  test('a client without a callback secret still scrubs the API key from an error that echoes it', async () => {
    const client = new BlockonomicsApiClient({ apiKey: new Secret(API_KEY), apiBaseUrl: simulator.baseUrl, bchApiBaseUrl: simulator.bchBaseUrl, timeoutMs: 5_000 });
    simulator.failNewAddress({ status: 503, body: `{"error": {"message": "key ${API_KEY} unavailable"}}` });
    const error = await failure(client.newAddress('BTC', new Secret(CALLBACK_BASE)));
    expect(error.message).toContain('[redacted]');
  });

  test('a server error is retryable unavailability', async () => {
    simulator.failNewAddress({ status: 500, body: '<html>Internal Server Error</html>' });
    const error = await failure(adapter.createPaymentRequest(input()));
    expect([error.kind, error.retryable, error.httpStatus]).toEqual(['unavailable', true, 500]);
  });

  test.each([
    ['the callback URL', 400, () => `{"message": "Invalid match_callback ${CALLBACK_BASE}?secret=${secret}"}`],
    ['the URL-encoded callback URL', 400, () => `{"message": "Bad callback ${encodeURIComponent(`${CALLBACK_BASE}?secret=${secret}`)}"}`],
    ['the secret and the API key, in a 5xx', 503, () => `{"error": {"message": "store ${secret} / key ${API_KEY} unavailable"}}`],
    ['a callback URL with another (old) secret', 400, () => `{"message": "Invalid match_callback ${CALLBACK_BASE}?secret=other-secret-0123&crypto=BTC"}`],
  ])('an error echoing %s never carries a secret into the message', async (_case, status, body) => {
    simulator.failNewAddress({ status, body: body() });
    const error = await failure(adapter.createPaymentRequest(input()));
    expect(error.message).not.toContain(encodeURIComponent(secret));
    expect(error.message).not.toContain('other-secret-0123');
    expect(error.message).toContain('[redacted]');
  });

  test('a long error is shortened only after scrubbing, so no part of a secret is left at the cut', async () => {
    simulator.failNewAddress({ status: 400, body: `{"message": "${'x'.repeat(190)} ${secret}"}` });
    const error = await failure(adapter.createPaymentRequest(input()));
    expect(error.message).not.toContain(secret.slice(0, 8));
  });

  test('an unreachable API is unavailable, and the message hides the callback secret', async () => {
    const port = await freePort();
    const offline = adapterFor(simulator, { callbackSecret: secret, apiBaseUrl: `http://127.0.0.1:${port}` });
    const error = await failure(offline.createPaymentRequest(input()));
    expect(error.kind).toBe('unavailable');
  });
});
