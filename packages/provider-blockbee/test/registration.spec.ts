import 'reflect-metadata';
import { invoicePolicy } from '@cryptopay/invoice';
import { SandboxPaymentUnsupportedError } from '@cryptopay/provider-kit';
import { type OptionProblem } from '@cryptopay/provider-kit/options';
import { Test } from '@nestjs/testing';
import { BLOCKBEE_EXTRA_COINS, BLOCKBEE_PUBLIC_KEY_PEM, BlockBeeAdapter, BlockBeeOptionsError, blockbeeProvider } from '../src/index.js';
import { type BlockBeeSandbox } from '../src/simulator/index.js';
import { TEST_PUBLIC_KEY_PEM } from './support/callbacks.js';
import { Shop } from './support/shop.js';

const API_KEY = 'blockbee-api-key-from-the-dashboard';
const common = { trustedProxies: ['10.0.0.0/8'] };

function problemsOf(env: Record<string, string>): readonly OptionProblem[] {
  try {
    blockbeeProvider.fromEnvironment({ BLOCKBEE_API_KEY: API_KEY, ...env }, common);
  } catch (error) {
    expect(error).toBeInstanceOf(BlockBeeOptionsError);
    return (error as BlockBeeOptionsError).problems;
  }
  throw new Error(`expected ${JSON.stringify(Object.keys(env))} to be refused`);
}

describe('the BlockBee registration', () => {
  it('names its settings, of which only the API key is secret and enables it, and the coins it adds', () => {
    expect(blockbeeProvider.name).toBe('blockbee');
    expect(blockbeeProvider.settings.map(({ variable, option, secret, enables }) => [variable, option, secret, enables ?? false])).toEqual([
      ['BLOCKBEE_API_KEY', 'apiKey', true, true],
      ['BLOCKBEE_API_URL', 'apiBaseUrl', false, false],
      ['BLOCKBEE_PUBLIC_KEY', 'publicKeyPem', false, false],
      ['BLOCKBEE_ALLOWED_IPS', 'allowlist', false, false],
    ]);
    expect(blockbeeProvider.coins).toBe(BLOCKBEE_EXTRA_COINS);
  });

  it('is not enabled while BLOCKBEE_API_KEY is unset or blank', () => {
    expect(blockbeeProvider.fromEnvironment({}, common)).toBeNull();
    expect(blockbeeProvider.fromEnvironment({ BLOCKBEE_API_KEY: '  ', BLOCKBEE_ALLOWED_IPS: '192.0.2.7' }, common)).toBeNull();
  });

  it('checks the settings given also while not enabled, and only those', () => {
    expect(() => blockbeeProvider.fromEnvironment({ BLOCKBEE_ALLOWED_IPS: 'not an ip' }, common)).toThrow(
      'Invalid BlockBee options: allowlist must be a list of IP addresses or CIDR ranges',
    );
  });

  it("maps the environment to resolved options, with BlockBee's defaults and the common trusted proxies", () => {
    expect(blockbeeProvider.fromEnvironment({ BLOCKBEE_API_KEY: ` ${API_KEY} ` }, common)).toMatchObject({
      apiKey: API_KEY,
      apiBaseUrl: 'https://api.blockbee.io',
      publicKeyPem: BLOCKBEE_PUBLIC_KEY_PEM,
      allowlist: ['51.77.105.132', '135.125.112.47'],
      trustedProxies: ['10.0.0.0/8'],
      allowTestPayments: false,
    });
    const env = {
      BLOCKBEE_API_KEY: API_KEY,
      BLOCKBEE_API_URL: 'http://blockbee.internal:8080',
      BLOCKBEE_PUBLIC_KEY: TEST_PUBLIC_KEY_PEM,
      BLOCKBEE_ALLOWED_IPS: '192.0.2.7, 198.51.100.0/24,,',
    };
    expect(blockbeeProvider.fromEnvironment(env, common)).toMatchObject({
      apiBaseUrl: 'http://blockbee.internal:8080',
      publicKeyPem: TEST_PUBLIC_KEY_PEM.trim(),
      allowlist: ['192.0.2.7', '198.51.100.0/24'],
    });
  });

  it('refuses invalid settings naming each option by its path (the gateway names its variable), never the API key', () => {
    const problems = problemsOf({ BLOCKBEE_ALLOWED_IPS: '51.77.105.132,blockbee.io', BLOCKBEE_API_URL: 'ftp://api.blockbee.io', BLOCKBEE_PUBLIC_KEY: 'not a key' });
    expect(problems).toEqual([
      { option: 'apiBaseUrl', message: 'apiBaseUrl must be an http(s) URL such as https://api.blockbee.io' },
      { option: 'allowlist', message: 'allowlist must be a list of IP addresses or CIDR ranges such as ["51.77.105.132", "135.125.112.47"]' },
      { option: 'publicKeyPem', message: 'publicKeyPem must be a PEM-encoded RSA public key ("-----BEGIN PUBLIC KEY-----…")' },
    ]);
    expect(JSON.stringify(problems)).not.toContain(API_KEY);
  });

  it('refuses a placeholder API key without echoing it', () => {
    const problems = problemsOf({ BLOCKBEE_API_KEY: 'abc123' });
    expect(problems).toEqual([{ option: 'apiKey', message: 'apiKey must be the API key from the BlockBee dashboard' }]);
    expect(JSON.stringify(problems)).not.toContain('abc123');
  });

  it('builds a module providing the adapter from the resolved options', async () => {
    const options = blockbeeProvider.fromEnvironment({ BLOCKBEE_API_KEY: API_KEY, BLOCKBEE_ALLOWED_IPS: '127.0.0.1' }, { trustedProxies: [] });
    const module = await Test.createTestingModule({ imports: [blockbeeProvider.module(options!)] }).compile();
    const callback = { method: 'POST', target: '/', url: 'https://shop.example/', headers: {}, body: new Uint8Array(), socketAddress: '127.0.0.1', receivedAt: new Date() };
    // Loopback is let through to the signature check only because BLOCKBEE_ALLOWED_IPS said so.
    expect(module.get(BlockBeeAdapter).verify(callback)).toMatchObject({ accepted: false, status: 401 });
    await module.close();
  });
});

describe("the BlockBee sandbox (the simulator in-process)", () => {
  let sandbox: BlockBeeSandbox;
  let shop: Shop;

  beforeEach(async () => {
    sandbox = await blockbeeProvider.startSandbox({ trustedProxies: [] });
    shop = await Shop.serving(new BlockBeeAdapter(sandbox.options));
  });

  afterEach(async () => {
    await shop.close();
    await sandbox.close();
  });

  it('gives options pointing at the simulator, with loopback allowed and test payments on', () => {
    expect(sandbox.options).toMatchObject({ apiBaseUrl: sandbox.simulator.baseUrl, publicKeyPem: sandbox.simulator.publicKeyPem, allowlist: ['127.0.0.1', '::1'], allowTestPayments: true });
    expect(sandbox.simulator.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('pays an invoice exactly: its pending and confirmed callbacks arrive and settle it', async () => {
    const invoice = await shop.openInvoice(undefined, invoicePolicy({ allowTestPayments: true }));
    const txid = await sandbox.pay(invoice, { amount: invoice.amountDue, rbf: false });
    expect(shop.deliveries.map((delivery) => [delivery.raw.method, delivery.outcome.kind])).toEqual([
      ['POST', 'applied'],
      ['POST', 'applied'],
    ]);
    expect(await shop.invoice(invoice.id)).toMatchObject({
      status: 'settled',
      payments: [{ txid, amount: invoice.amountDue, state: 'confirmed', test: true }],
    });
  });

  it('refuses to pay with Replace-By-Fee, which BlockBee does not report', async () => {
    const invoice = await shop.openInvoice();
    const refused = sandbox.pay(invoice, { amount: invoice.amountDue, rbf: true });
    await expect(refused).rejects.toThrow(SandboxPaymentUnsupportedError);
    await expect(refused).rejects.toThrow('BlockBee does not report Replace-By-Fee');
    expect(shop.deliveries).toEqual([]);
  });
});
