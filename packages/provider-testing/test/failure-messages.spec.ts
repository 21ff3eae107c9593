import { afterEach, describe, expect, test } from '@jest/globals';
import { ACCEPTED, type ProviderAdapter } from '@cryptopay/provider-kit';
import { expectAllRejected, expectNormalizedDeliveries, paymentDeliveries } from '../src/conformance/expectations.js';
import { SuiteContext } from '../src/conformance/suite-context.js';
import { ConformanceFailure } from '../src/index.js';
import { type TokenPayAdapter } from './support/tokenpay-adapter.js';
import { tokenPayHarness, type TokenPayHarnessOptions, withField } from './support/tokenpay-harness.js';

/** The adapter with some of its members replaced: a provider package's bug, on purpose. */
function broken(adapter: TokenPayAdapter, members: Partial<ProviderAdapter>): ProviderAdapter {
  return {
    name: adapter.name,
    capabilities: adapter.capabilities,
    secrets: adapter.secrets,
    createPaymentRequest: (input) => adapter.createPaymentRequest(input),
    verify: (raw) => adapter.verify(raw),
    parse: (raw) => adapter.parse(raw),
    acknowledge: (outcome) => adapter.acknowledge(outcome),
    ...members,
  };
}

/** The suite's failure for `run`, which must fail as a ConformanceFailure (never a TypeError). */
async function failureOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConformanceFailure);
    return (error as Error).message;
  }
  throw new Error('the check passed');
}

describe('what the suite says when an adapter fails it', () => {
  let suite: SuiteContext | undefined;
  afterEach(async () => {
    await suite?.stop();
    suite = undefined;
  });
  const start = async (options: TokenPayHarnessOptions) => (suite = await SuiteContext.start(tokenPayHarness(options)));

  test('callbacks delivered but dropped by the binding: each delivery, where it stopped and why — not "no callback"', async () => {
    const wrongCoin = (adapter: TokenPayAdapter) =>
      broken(adapter, {
        parse: (raw) => {
          const parsed = adapter.parse(raw);
          return 'payment' in parsed ? { ...parsed, payment: { ...parsed.payment, coin: 'LTC' } } : parsed;
        },
      });
    const context = await start({ wrap: wrongCoin });
    const paid = await context.payNewInvoice();
    const message = await failureOf(() => expectNormalizedDeliveries(paid, context));
    expect(message).toContain(`paying invoice ${paid.invoice.id}`);
    expect(message).toContain(`POST /v1/callbacks/tokenpay (`);
    expect(message).toContain(`refused at bind to invoice ${paid.invoice.id} (403: the payment is in LTC but invoice ${paid.invoice.id} is in BTC)`);
    expect(message).not.toMatch(/no callback/);
  });

  test('no callback at all: says so, and lists what the receiver got meanwhile, instead of a TypeError', async () => {
    const context = await start({ overrides: () => ({ pay: async () => undefined }) });
    const paid = await context.payNewInvoice();
    expect(paid.deliveries).toEqual([]);
    expect(await failureOf(() => paymentDeliveries(paid, context))).toMatch(/delivered no callback reporting it\. Callbacks the receiver got while paying: none$/);
    expect(await failureOf(() => context.genuineCallback())).toMatch(/delivered no callback the core applied: none$/);
  });

  test('callbacks that mention the payment but are all ignored: says they were ignored and why', async () => {
    const context = await start({
      overrides: (simulator) => ({ pay: (request, amount, options) => simulator().pay(request.address, amount, { txid: options?.txid ?? 'tx', statuses: ['test'] }) }),
    });
    const paid = await context.payNewInvoice();
    const message = await failureOf(() => paymentDeliveries(paid, context));
    expect(message).toContain('Callbacks mentioning the txid, all ignored:');
    expect(message).toContain('→ ignored at parse: a test callback from the dashboard');
  });

  test('ignored notifications among a payment’s deliveries need no observation and pass', async () => {
    const context = await start({
      overrides: (simulator) => ({ pay: (request, amount, options) => simulator().pay(request.address, amount, { txid: options?.txid ?? 'tx', statuses: ['test', 'pending', 'paid'] }) }),
    });
    const paid = await context.payNewInvoice();
    expect(paid.deliveries.map((delivery) => delivery.outcome.kind)).toEqual(['unmatched', 'applied', 'applied']);
    expect(paid.deliveries[0]?.observation).toBeNull();
    expectNormalizedDeliveries(paid, context);
  });

  test('a forged callback that got through: names it and the stage and verdict it reached', async () => {
    const context = await start({ wrap: (adapter) => broken(adapter, { verify: () => ACCEPTED }) });
    const { raw } = await context.genuineCallback();
    const forged = [{ name: 'another token', callback: withField(raw, 'token', () => 'forged-token') }];
    const message = await failureOf(() => expectAllRejected(context, forged, [401, 403], ['verify'], 'forged'));
    expect(message).toMatch(/^forged callback "another token" must be refused with 401\/403 at verify, but it was POST \/v1\/callbacks\/tokenpay \(\d+ bytes\) → a duplicate of a delivery already applied to invoice /);
  });

  test('a forged callback refused at the wrong stage: names the stage, status and reason', async () => {
    const context = await start({ wrap: (adapter) => broken(adapter, { verify: () => ACCEPTED }) });
    const { raw } = await context.genuineCallback();
    const forged = [{ name: 'a made-up amount', callback: withField(raw, 'receive_amount', () => 'forged') }];
    const message = await failureOf(() => expectAllRejected(context, forged, [401, 403], ['verify'], 'forged'));
    expect(message).toContain('→ refused at parse (400: ');
  });
});
