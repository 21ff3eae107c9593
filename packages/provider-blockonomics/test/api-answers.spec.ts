import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { type PaymentRequestInput, ProviderError } from '@cryptopay/provider-kit';
import { type BlockonomicsAdapter } from '../src/index.js';
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
