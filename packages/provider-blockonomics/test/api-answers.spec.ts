import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { listenOnFreePort } from '@cryptopay/test-servers';
import { type PaymentRequestInput, ProviderError, Secret } from '@cryptopay/provider-kit';
import { type BlockonomicsAdapter, BlockonomicsApiClient } from '../src/index.js';
import { type BlockonomicsSimulator } from '../src/simulator/index.js';
import { adapterFor, BTC, startSimulator } from './support.js';

let simulator: BlockonomicsSimulator;
let adapter: BlockonomicsAdapter;

const input = (overrides: Partial<PaymentRequestInput> = {}): PaymentRequestInput => ({
  invoiceId: 'inv_1',
  coin: BTC,
  fiat: { currency: 'USD', minor: 2500n },
  callbackUrl: 'https://shop.example.com/v1/callbacks/blockonomics',
  ...overrides,
});

async function refusal(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(() => simulator.close());
beforeEach(() => {
  adapter = adapterFor(simulator);
  simulator.setPrice('BTC', 'USD', '64123.45');
});

describe('what the Blockonomics adapter declares', () => {
  test('GET callbacks carrying a URL secret, a pending one before confirmation, the address history, and 9 minutes of retries', () => {
    expect(adapter.capabilities).toEqual({
      coins: ['BTC', 'BCH'],
      callbackMethods: ['GET'],
      pendingNotifications: true,
      signatureScheme: 'url-secret',
      reconciliation: 'address-history',
      callbackRetryWindowMs: 540_000,
    });
  });
});

describe('what the adapter asks Blockonomics, as Blockonomics receives it', () => {
  test('a new address by POST with the key as a bearer token and match_callback; crypto=BTC on the BTC host only; the price by GET; the history by a JSON POST', async () => {
    const received: { host: string; method: string; path: string; query: Record<string, string>; authorization: string | undefined; body: string }[] = [];
    const types: (string | undefined)[] = [];
    const answers: Record<string, string> = { '/api/new_address': '{"address": "bc1qrecorded"}', '/api/price': '{"price": 64000}', '/api/searchhistory': '{}' };
    const recorder = (host: string) =>
      createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          const url = new URL(request.url ?? '/', 'http://recorder');
          types.push(request.headers['content-type']);
          received.push({ host, method: request.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: request.headers.authorization, body });
          response.writeHead(200, { 'content-type': 'application/json' }).end(answers[url.pathname] ?? '{}');
        });
      });
    const [btc, bch] = [recorder('BTC'), recorder('BCH')];
    const [btcPort, bchPort] = [await listenOnFreePort(btc), await listenOnFreePort(bch)];
    try {
      const client = new BlockonomicsApiClient({ apiKey: new Secret('the-api-key'), apiBaseUrl: `http://127.0.0.1:${btcPort}`, bchApiBaseUrl: `http://127.0.0.1:${bchPort}`, timeoutMs: 5_000 });
      const match = new Secret('https://shop.example/cb?secret=s3cret');
      await client.newAddress('BTC', match);
      await client.newAddress('BCH', match);
      await client.price('BTC', 'EUR');
      await client.price('BCH', 'USD');
      await client.searchHistory('BCH', 'bitcoincash:qexample');
      expect(received).toEqual([
        { host: 'BTC', method: 'POST', path: '/api/new_address', query: { match_callback: 'https://shop.example/cb?secret=s3cret', crypto: 'BTC' }, authorization: 'Bearer the-api-key', body: '' },
        { host: 'BCH', method: 'POST', path: '/api/new_address', query: { match_callback: 'https://shop.example/cb?secret=s3cret' }, authorization: 'Bearer the-api-key', body: '' },
        { host: 'BTC', method: 'GET', path: '/api/price', query: { currency: 'EUR', crypto: 'BTC' }, authorization: undefined, body: '' },
        { host: 'BCH', method: 'GET', path: '/api/price', query: { currency: 'USD' }, authorization: undefined, body: '' },
        { host: 'BCH', method: 'POST', path: '/api/searchhistory', query: {}, authorization: 'Bearer the-api-key', body: '{"addr":"bitcoincash:qexample"}' },
      ]);
      expect(types.at(-1)).toBe('application/json');
    } finally {
      await Promise.all([btc, bch].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });

  test("appends the secret to a callback URL that has a query string of its own with '&'", () => {
    expect(adapter.callbackUrl('https://shop.example/cb?shop=7').reveal()).toMatch(/^https:\/\/shop\.example\/cb\?shop=7&secret=[A-Za-z0-9_-]+$/);
    expect(adapter.callbackUrl('https://shop.example/cb').reveal()).toMatch(/^https:\/\/shop\.example\/cb\?secret=[A-Za-z0-9_-]+$/);
  });
});

describe('the coins Blockonomics can invoice in', () => {
  test.each([6, 18])('a BTC coin configured with %i decimals is refused: Blockonomics counts BTC in satoshi', async (decimals) => {
    const issued = simulator.issuedAddresses().length;
    const error = await refusal(adapter.createPaymentRequest(input({ coin: { ...BTC, decimals } })));
    expect([error.kind, error.message]).toEqual(['rejected', 'blockonomics: cannot invoice in BTC; supported coins: BTC, BCH']);
    expect(simulator.issuedAddresses()).toHaveLength(issued);
  });
});

describe('a successful (HTTP 200) answer the adapter cannot use is an invalid response', () => {
  test.each([
    ['without "address"', '{"account": "xpub6CUGRUonZSQ4TWtTMmzXdrXDtypWKiKrhko4egpiMZbpiaQL2jkwSB1icqYh2cfDfVxdx4df189oLKnC5fSwqPfgyP3hooxujYzAu3fDVmz"}'],
    ['with an empty "address"', '{"address": ""}'],
    ['with a numeric "address"', '{"address": 12}'],
    ['that is not an object', '["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"]'],
  ])('a new address answer %s', async (_case, body) => {
    simulator.failNewAddress({ status: 200, body });
    const error = await refusal(adapter.createPaymentRequest(input()));
    expect([error.kind, error.httpStatus]).toEqual(['invalid-response', 200]);
    expect(error.message).toBe('blockonomics: new address: the answer has no "address" string');
  });

  test.each([
    ['a string', '"64123.45"'],
    ['an object', '{"USD": 64123.45}'],
    ['a boolean', 'true'],
  ])('a price answer whose "price" is %s', async (_case, price) => {
    simulator.setPrice('BTC', 'USD', price);
    const error = await refusal(adapter.createPaymentRequest(input()));
    expect([error.kind, error.httpStatus]).toEqual(['invalid-response', 200]);
    expect(error.message).toBe('blockonomics: price: the answer has no numeric "price"');
  });
});
