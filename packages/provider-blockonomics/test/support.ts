import { createInvoice, DEFAULT_COINS, DEFAULT_INVOICE_POLICY, type Invoice } from '@cryptopay/invoice';
import { type RawCallback } from '@cryptopay/provider-kit';
import { generateCallbackSecret } from '@cryptopay/provider-kit/options';
import { BlockonomicsAdapter, type BlockonomicsOptions, validateBlockonomicsOptions } from '../src/index.js';
import { BlockonomicsSimulator, type BlockonomicsSimulatorOptions } from '../src/simulator/index.js';

export const API_KEY = 'sim-api-key-0123456789';
export const BTC = DEFAULT_COINS.find((coin) => coin.code === 'BTC')!;
export const BCH = DEFAULT_COINS.find((coin) => coin.code === 'BCH')!;
/** Fast retries: Blockonomics' 4 s, 8 s, … become 4 ms, 8 ms, … */
export const TIME_SCALE = 0.001;

export async function startSimulator(options: Partial<BlockonomicsSimulatorOptions> = {}): Promise<BlockonomicsSimulator> {
  // Stores made on first use unless a test sets them up (`storeCallbackUrls`, `addStore`) to test matching.
  return BlockonomicsSimulator.start({ apiKey: API_KEY, timeScale: TIME_SCALE, autoCreateStores: options.storeCallbackUrls === undefined, ...options });
}

export function adapterFor(simulator: BlockonomicsSimulator, options: Partial<BlockonomicsOptions> = {}): BlockonomicsAdapter {
  return new BlockonomicsAdapter(
    validateBlockonomicsOptions({
      apiKey: API_KEY,
      callbackSecret: generateCallbackSecret(),
      apiBaseUrl: simulator.baseUrl,
      bchApiBaseUrl: simulator.bchBaseUrl,
      ...options,
    }),
  );
}

/** A copy of a callback with another request target (and the matching external URL). */
export function withTarget(raw: RawCallback, target: string, changes: Partial<RawCallback> = {}): RawCallback {
  const origin = raw.url.slice(0, raw.url.length - raw.target.length);
  return { ...raw, target, url: `${origin}${target}`, ...changes };
}

/** Replaces (or with `null` removes) one query parameter in a raw target, leaving the rest byte-exact. */
export function setParam(target: string, name: string, value: string | null): string {
  const [path, query = ''] = target.split('?') as [string, string?];
  const pairs = query.split('&').filter((pair) => pair.split('=')[0] !== name);
  if (value !== null) pairs.push(`${name}=${value}`);
  return `${path}?${pairs.join('&')}`;
}

export function paramOf(target: string, name: string): string | undefined {
  return new URLSearchParams(target.split('?')[1] ?? '').get(name) ?? undefined;
}

const CALLBACK_URL = 'https://pay.example.test/v1/callbacks/blockonomics';

/** A new USD 25.00 invoice with an address the adapter created at the simulator. */
export async function invoiceFor(adapter: BlockonomicsAdapter, coin = BTC): Promise<Invoice> {
  const request = await adapter.createPaymentRequest({ invoiceId: crypto.randomUUID(), coin, fiat: { currency: 'USD', minor: 2500n }, callbackUrl: CALLBACK_URL });
  return createInvoice(
    { id: crypto.randomUUID(), provider: 'blockonomics', coin: coin.code, orderId: 'order-1', fiat: { currency: 'USD', minor: 2500n }, rate: request.rate, amountDue: request.amountDue, address: request.address, providerReference: request.providerReference },
    DEFAULT_INVOICE_POLICY,
    new Date(),
  ).invoice;
}
