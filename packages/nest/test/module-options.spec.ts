import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createStore, type Store } from '@cryptopay/store';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { IdempotencyModule } from '@cryptopay/idempotency';
import { CoinRegistry } from '@cryptopay/invoice';
import { PaymentsConfigError, PaymentsMetrics, type PaymentsModuleOptions, PaymentsModule, validatePaymentsOptions } from '../src/index.js';
import { TestPayModule } from './support/test-provider.js';

const SECRET_TOKEN = 'a-token-that-must-never-be-printed';

/** Wrong options stop start-up with one error naming each, never printing a token. */
describe('PaymentsModule options', () => {
  let store: Store;
  beforeAll(async () => {
    store = await createStore();
  });
  afterAll(async () => {
    await store.close();
  });

  const valid = (): PaymentsModuleOptions => ({ store, publicUrl: 'https://pay.example.test', apiTokens: ['test-api-token-0123456789abcdefghij'], sweepIntervalMs: 0 });
  const compile = (module: ReturnType<typeof PaymentsModule.forRoot>) =>
    Test.createTestingModule({ imports: [EventEmitterModule.forRoot(), module] }).compile();
  const extras = () => ({ providers: [{ module: TestPayModule }], idempotency: IdempotencyModule.forRoot({ store: 'memory' }) });

  it.each([
    ['forRoot', (options: PaymentsModuleOptions) => PaymentsModule.forRoot({ ...extras(), ...options })],
    ['forRootAsync', (options: PaymentsModuleOptions) => PaymentsModule.forRootAsync({ ...extras(), useFactory: async () => options })],
  ])('%s: refuses a bad publicUrl, an empty token and a negative sweep interval, naming each', async (_form, build) => {
    const refused = compile(build({ ...valid(), publicUrl: 'not a url at all', apiTokens: ['', SECRET_TOKEN.slice(0, 10)], sweepIntervalMs: -5 }));
    await expect(refused).rejects.toBeInstanceOf(PaymentsConfigError);
    const message = await refused.catch((error: Error) => error.message);
    expect(message).toContain('publicUrl must be the externally reachable http(s) base URL');
    expect(message).toContain('apiTokens must be a non-empty list of tokens of at least 32 random characters each, visible ASCII without spaces or control characters (make one with openssl rand -hex 32)');
    expect(message).toContain('sweepIntervalMs must be a whole number of milliseconds ≥ 0');
    expect(message).not.toContain(SECRET_TOKEN.slice(0, 10));
  });

  it.each([
    [{ apiTokens: [] }, 'apiTokens must be a non-empty list'],
    [{ apiTokens: [`${SECRET_TOKEN} with spaces`] }, 'apiTokens must be a non-empty list'],
    [{ trustedProxies: ['10.0.0.0/99'] }, 'trustedProxies must be a list of IP addresses or CIDR ranges'],
    [{ store: {} }, 'store must be a Store'],
    [{ policies: { expiryMinutes: 0 } }, 'policies.expiryMinutes must be a whole number from 1 to'],
    [{ policies: { tolerancePercent: '150' } }, 'policies.tolerancePercent must be a decimal percent from 0 to 100'],
    [{ policies: { expiry: 30 } }, 'policies.expiry is not a PaymentsModule option'],
    [{ coins: { codes: ['BTC'] } }, 'coins must be a CoinRegistry'],
    [{ deliveryLog: { batchSize: 5_000 } }, 'deliveryLog.batchSize must be a whole number from 1 to 1000'],
    [{ deliveryLog: { duplicateIntervalMs: -1 } }, 'deliveryLog.duplicateIntervalMs must be a whole number of milliseconds ≥ 0'],
    [{ sweepIntervalMs: 1.5 }, 'sweepIntervalMs must be a whole number'],
    [{ publicUrl: 'https://pay.example.test/?x=1' }, 'publicUrl must be'],
    [{ apiToken: [SECRET_TOKEN] }, 'apiToken is not a PaymentsModule option'],
  ])('refuses %j', async (override, expected) => {
    const refused = compile(PaymentsModule.forRoot({ ...extras(), ...valid(), ...(override as Partial<PaymentsModuleOptions>) }));
    const message = await refused.then(
      () => 'started',
      (error: Error) => `${error.name}: ${error.message}`,
    );
    expect(message).toContain('PaymentsConfigError');
    expect(message).toContain(expected);
    expect(message).not.toContain(SECRET_TOKEN);
  });

  it('names each problem by its option path, for an app that names its own settings', () => {
    const refused = () => validatePaymentsOptions({ ...valid(), publicUrl: 'ftp://x', policies: { tolerancePercent: '-1' }, deliveryLog: { maxQueued: 0 } });
    expect(refused).toThrow(PaymentsConfigError);
    expect(refused).toThrow(
      expect.objectContaining({
        problems: [
          expect.objectContaining({ option: 'publicUrl' }),
          expect.objectContaining({ option: 'policies.tolerancePercent' }),
          expect.objectContaining({ option: 'deliveryLog.maxQueued', message: 'deliveryLog.maxQueued must be a whole number ≥ 1' }),
        ],
      }),
    );
  });

  it('resolves the options once, every default filled in and the instances kept', () => {
    const resolved = validatePaymentsOptions({ ...valid(), sweepIntervalMs: undefined, policies: { expiryMinutes: 30 }, deliveryLog: { batchSize: 10 } });
    expect(resolved).toMatchObject({
      publicUrl: 'https://pay.example.test',
      trustedProxies: [],
      sweepIntervalMs: 10_000,
      policies: { expiryMinutes: 30, monitoringMinutes: 1440, tolerancePercent: '0', allowTestPayments: false },
      deliveryLog: { batchSize: 10, flushIntervalMs: 250, maxQueued: 5_000, duplicateIntervalMs: 60_000 },
    });
    expect(resolved.store).toBe(store);
    expect(resolved.coins).toBeInstanceOf(CoinRegistry);
    expect(resolved.metrics).toBeInstanceOf(PaymentsMetrics);
  });

  it('starts with valid options', async () => {
    const module = await compile(PaymentsModule.forRoot({ ...extras(), ...valid(), trustedProxies: ['10.0.0.0/8', '::1'], deliveryLog: { batchSize: 10 } }));
    await module.close();
  });
});
