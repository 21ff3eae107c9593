import { InvoiceTokens, type ProviderAdapter, type RawCallback, Secret } from '@cryptopay/provider-kit';
import { type ConformanceHarness, type TamperedCallback } from '../../src/index.js';
import { TokenPayAdapter, type TokenPayOptions } from './tokenpay-adapter.js';
import { TokenPaySimulator } from './tokenpay-simulator.js';

export const BTC = { code: 'BTC', decimals: 8, name: 'Bitcoin' };
export const TOKENS = new InvoiceTokens(new Secret('tokenpay-merchant-secret-0123456789'));

export interface TokenPayHarnessOptions {
  readonly adapter?: Partial<Omit<TokenPayOptions, 'apiBaseUrl'>>;
  /** Breaks the adapter on purpose, to see what the suite says. */
  readonly wrap?: (adapter: TokenPayAdapter) => ProviderAdapter;
  /** Replaces harness members (a `pay` that delivers nothing, …). */
  readonly overrides?: (simulator: () => TokenPaySimulator) => Partial<ConformanceHarness>;
}

/** The conformance harness of the TokenPay fixture provider. */
export function tokenPayHarness(options: TokenPayHarnessOptions = {}): ConformanceHarness {
  const adapter = options.adapter ?? {};
  let simulator: TokenPaySimulator | undefined;
  return {
    providerName: 'tokenpay',
    async setup() {
      simulator = await TokenPaySimulator.start();
      const tokenPay = new TokenPayAdapter({ apiBaseUrl: simulator.baseUrl, tokens: TOKENS, ...adapter });
      return { adapter: options.wrap ? options.wrap(tokenPay) : tokenPay, coin: BTC };
    },
    async teardown() {
      await simulator?.close();
    },
    async pay(request, amount, options = {}) {
      await simulator!.pay(request.address, amount, { txid: options.txid ?? 'tx', duplicates: options.duplicates ?? 0, reorder: options.reorder ?? false });
    },
    forge: (genuine) => [
      { name: 'another token', callback: withToken(genuine, adapter.tokenIn, (token) => token.replace(/^./, (first) => (first === 'A' ? 'B' : 'A'))) },
      { name: 'no token', callback: withToken(genuine, adapter.tokenIn, null) },
      { name: 'the token of another order', callback: withField(genuine, 'order_id', () => '7c0b1c7e-1b1e-4a57-9d7b-2a51f6f0c0ff') },
    ],
    malform: (genuine) => [
      { name: 'a fractional satoshi', callback: withField(genuine, 'receive_amount', () => '0.000000001') },
      { name: 'an unknown status', callback: withField(genuine, 'status', () => 'maybe') },
      { name: 'a body that is not a form', callback: { ...genuine, body: new Uint8Array(Buffer.from('%zz')) } },
    ],
    ignorable: (genuine) => [{ name: 'a dashboard test', callback: withField(genuine, 'status', () => 'test') }],
    ...options.overrides?.(() => simulator!),
  };
}

/** A copy of a form callback with one field changed (null: removed), every other field as sent. */
export function withField(genuine: RawCallback, name: string, change: ((value: string) => string) | null): RawCallback {
  const fields = new URLSearchParams(Buffer.from(genuine.body).toString('utf8'));
  if (change === null) fields.delete(name);
  else fields.set(name, change(fields.get(name) ?? ''));
  return { ...genuine, body: new Uint8Array(Buffer.from(fields.toString())) } satisfies TamperedCallback['callback'];
}

/** A copy with the token changed (null: removed) where the adapter takes it from. */
function withToken(genuine: RawCallback, where: TokenPayOptions['tokenIn'], change: ((value: string) => string) | null): RawCallback {
  if (where !== 'query') return withField(genuine, 'token', change);
  const [path, query = ''] = genuine.target.split('?');
  const fields = new URLSearchParams(query);
  if (change === null) fields.delete('token');
  else fields.set('token', change(fields.get('token') ?? ''));
  const target = `${path}?${fields.toString()}`;
  return { ...genuine, target, url: genuine.url.replace(genuine.target, target) };
}
