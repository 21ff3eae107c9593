import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { amountPaid, DEFAULT_INVOICE_POLICY } from '@cryptopay/invoice';
import { Test } from '@nestjs/testing';
import { generateCallbackSecret, type OptionProblem } from '@cryptopay/provider-kit/options';
import { BlockonomicsAdapter, BlockonomicsOptionsError, blockonomicsProvider } from '../src/index.js';
import { type BlockonomicsSandbox } from '../src/simulator/index.js';
import { CallbackEndpoint } from './callback-endpoint.js';
import { payments } from './callback-bench.js';
import { BTC } from './support.js';

/** Sandbox invoices count test payments, and every simulated payment is one. */
const SANDBOX_POLICY = { ...DEFAULT_INVOICE_POLICY, allowTestPayments: true };

const common = { trustedProxies: [] };
const secret = generateCallbackSecret();
const live = { BLOCKONOMICS_API_KEY: 'live-api-key-123', BLOCKONOMICS_CALLBACK_SECRET: secret };

function problemsOf(env: Record<string, string>): readonly OptionProblem[] {
  try {
    blockonomicsProvider.fromEnvironment(env, common);
  } catch (error) {
    expect(error).toBeInstanceOf(BlockonomicsOptionsError);
    return (error as BlockonomicsOptionsError).problems;
  }
  throw new Error('the environment was accepted');
}

describe('blockonomicsProvider.fromEnvironment', () => {
  test.each([
    ['unset', {}],
    ['empty', { BLOCKONOMICS_API_KEY: '  ', BLOCKONOMICS_CALLBACK_SECRET: secret }],
  ])('is null (Blockonomics disabled) when BLOCKONOMICS_API_KEY is %s', (_case, env) => {
    expect(blockonomicsProvider.fromEnvironment(env, common)).toBeNull();
  });

  test('maps the variables to validated options with the defaults filled in', () => {
    expect(blockonomicsProvider.fromEnvironment(live, common)).toEqual({
      apiKey: 'live-api-key-123',
      callbackSecret: secret,
      apiBaseUrl: 'https://www.blockonomics.co',
      bchApiBaseUrl: 'https://bch.blockonomics.co',
      confirmations: 2,
      allowTestPayments: false,
      timeoutMs: 10_000,
      simulated: false,
      historyRequestsPerMinute: 2,
    });
    const custom = { ...live, BLOCKONOMICS_API_URL: ' http://127.0.0.1:4010 ', BLOCKONOMICS_CONFIRMATIONS: '0' };
    expect(blockonomicsProvider.fromEnvironment(custom, common)).toMatchObject({ apiBaseUrl: 'http://127.0.0.1:4010', confirmations: 0 });
  });

  test.each<[string, Record<string, string>, string, string]>([
    ['a placeholder API key', { ...live, BLOCKONOMICS_API_KEY: 'abc123' }, 'apiKey', 'apiKey must be the API key from the Blockonomics merchant dashboard'],
    ['a missing callback secret', { BLOCKONOMICS_API_KEY: 'live-api-key-123' }, 'callbackSecret', 'callbackSecret is required when apiKey is set'],
    ['a weak callback secret', { ...live, BLOCKONOMICS_CALLBACK_SECRET: 'secret-secret-secret-secret-secret' }, 'callbackSecret', 'callbackSecret must be at least 32 random characters'],
    ['confirmations out of range', { ...live, BLOCKONOMICS_CONFIRMATIONS: '3' }, 'confirmations', 'confirmations must be 0, 1 or 2'],
    ['confirmations as a word', { ...live, BLOCKONOMICS_CONFIRMATIONS: 'two' }, 'confirmations', 'confirmations must be 0, 1 or 2'],
    ['an API URL that is no http(s) URL', { ...live, BLOCKONOMICS_API_URL: 'ftp://example.com' }, 'apiBaseUrl', 'apiBaseUrl must be an http(s) URL'],
  ])('refuses %s, naming the option (the gateway names its variable) and never a secret value', (_case, env, option, message) => {
    const problems = problemsOf(env);
    expect(problems.map((problem) => problem.option)).toEqual([option]);
    expect(problems[0]?.message).toContain(message);
    expect(JSON.stringify(problems)).not.toContain(env['BLOCKONOMICS_CALLBACK_SECRET'] ?? secret);
    expect(JSON.stringify(problems)).not.toContain(env['BLOCKONOMICS_API_KEY']);
  });

  test('takes an API key of eight characters, the shortest it accepts', () => {
    expect(blockonomicsProvider.fromEnvironment({ ...live, BLOCKONOMICS_API_KEY: 'abcd1234' }, common)).toMatchObject({ apiKey: 'abcd1234' });
    expect(problemsOf({ ...live, BLOCKONOMICS_API_KEY: 'abcd123' }).map(({ option }) => option)).toEqual(['apiKey']);
  });

  test('names every invalid option at once', () => {
    expect(problemsOf({ ...live, BLOCKONOMICS_CONFIRMATIONS: '5', BLOCKONOMICS_API_URL: 'nope' }).map(({ option }) => option)).toEqual(['apiBaseUrl', 'confirmations']);
  });

  test('checks the settings given also while disabled, and only those', () => {
    expect(problemsOf({ BLOCKONOMICS_CONFIRMATIONS: '7' }).map(({ option }) => option)).toEqual(['confirmations']);
  });
});

describe('blockonomicsProvider', () => {
  test('declares its variables, the API key and the callback secret as secrets, the key enabling it', () => {
    expect(blockonomicsProvider.name).toBe('blockonomics');
    expect(blockonomicsProvider.settings.map(({ variable, option, secret, enables }) => [variable, option, secret, enables ?? false])).toEqual([
      ['BLOCKONOMICS_API_KEY', 'apiKey', true, true],
      ['BLOCKONOMICS_CALLBACK_SECRET', 'callbackSecret', true, false],
      ['BLOCKONOMICS_API_URL', 'apiBaseUrl', false, false],
      ['BLOCKONOMICS_CONFIRMATIONS', 'confirmations', false, false],
      ['BLOCKONOMICS_HISTORY_REQUESTS_PER_MINUTE', 'historyRequestsPerMinute', false, false],
    ]);
    for (const setting of blockonomicsProvider.settings) expect(setting.description.length).toBeGreaterThan(20);
  });

  test('module(options) provides the adapter configured with them', async () => {
    const options = blockonomicsProvider.fromEnvironment({ ...live, BLOCKONOMICS_CONFIRMATIONS: '1' }, common)!;
    const app = await Test.createTestingModule({ imports: [blockonomicsProvider.module(options)] }).compile();
    expect(app.get(BlockonomicsAdapter).requiredConfirmations).toBe(1);
  });
});

describe('blockonomicsProvider.startSandbox', () => {
  let sandbox: BlockonomicsSandbox;
  let endpoint: CallbackEndpoint;

  beforeAll(async () => {
    sandbox = await blockonomicsProvider.startSandbox(common);
    endpoint = await CallbackEndpoint.start(new BlockonomicsAdapter(sandbox.options));
  });
  afterAll(async () => {
    await endpoint.close();
    await sandbox.close();
  });

  test('points the options at the in-process simulator for both coins, with test payments allowed', () => {
    expect(sandbox.options).toMatchObject({ apiBaseUrl: sandbox.simulator.baseUrl, bchApiBaseUrl: sandbox.simulator.bchBaseUrl, allowTestPayments: true });
    expect(sandbox.simulator.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('pays an invoice: unconfirmed, one and two confirmations arrive as callbacks and settle it', async () => {
    const invoice = await endpoint.createInvoice(BTC, SANDBOX_POLICY);
    const txid = await sandbox.pay(invoice, { amount: invoice.amountDue, rbf: false });
    const deliveries = endpoint.deliveriesMentioning(txid);
    expect(deliveries.map((d) => [d.raw.method, d.outcome.kind, payments([d])[0]?.confirmations])).toEqual([
      ['GET', 'applied', 0],
      ['GET', 'applied', 1],
      ['GET', 'applied', 2],
    ]);
    const settled = await endpoint.invoiceAt(invoice.address);
    expect([settled.status, amountPaid(settled)]).toEqual(['settled', invoice.amountDue]);
  });

  test('pays with Replace-By-Fee: an unconfirmed RBF callback that does not count, then the final one', async () => {
    const invoice = await endpoint.createInvoice(BTC, SANDBOX_POLICY);
    const txid = await sandbox.pay(invoice, { amount: invoice.amountDue, rbf: true });
    const deliveries = endpoint.deliveriesMentioning(txid);
    expect(deliveries[0]?.raw.target).toContain('&rbf=1');
    expect(payments(deliveries).map((p) => [p?.kind, p?.rbf, p?.confirmations])).toEqual([
      ['seen', true, 0],
      ['confirmed', false, 2],
    ]);
    expect(deliveries[0]?.invoiceAfter?.status).toBe('new');
    expect(deliveries[1]?.invoiceAfter?.status).toBe('settled');
  });

  test('close() stops the simulator', async () => {
    const own = await blockonomicsProvider.startSandbox(common);
    await own.close();
    await expect(fetch(`${own.options.apiBaseUrl}/api/price`)).rejects.toThrow();
  });
});
