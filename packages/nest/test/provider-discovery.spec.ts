import { describe, expect, it } from '@jest/globals';
import { IdempotencyModule } from '@cryptopay/idempotency';
import { ProviderCapabilityError } from '@cryptopay/provider-kit';
import { PaymentProvider } from '@cryptopay/provider-kit/nest';
import { createStore } from '@cryptopay/store';
import { Module, type Provider } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { PaymentsModule, ProviderRegistry, UnknownProviderError } from '../src/index.js';
import { NoncePayAdapter, TEST_SECRET, TestPayAdapter, TestPayModule } from './support/test-provider.js';

/** Another adapter, unmarked: shaped like one, but not discovered. */
class UnmarkedAdapter extends NoncePayAdapter {}

@PaymentProvider()
class BadManifestAdapter extends NoncePayAdapter {
  override readonly capabilities = { ...new NoncePayAdapter().capabilities, coins: ['NOPE'] };
}

function moduleProviding(...providers: Provider[]): { module: new () => unknown } {
  @Module({ providers })
  class ProvidersModule {}
  return { module: ProvidersModule };
}

/** The payments module finds adapters by their `@PaymentProvider()` mark, however a provider module provides them. */
describe('adapter discovery', () => {
  /** Compiles and initializes an app of its own (its store closes with it): adapters are discovered once every module's providers exist. */
  const start = async (providers: { module: new () => unknown }[]) => {
    const app = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot(),
        PaymentsModule.forRoot({
          providers,
          idempotency: IdempotencyModule.forRoot({ store: 'memory' }),
          store: await createStore(),
          publicUrl: 'https://pay.example.test',
          apiTokens: ['test-api-token-0123456789abcdefghij'],
          sweepIntervalMs: 0,
        }),
      ],
    }).compile();
    try {
      return await app.init();
    } catch (error) {
      await app.close();
      throw error;
    }
  };
  const startError = (providers: { module: new () => unknown }[]) => start(providers).then(() => 'started', (error: Error) => `${error.name}: ${error.message}`);

  it('finds a marked adapter provided as a class and one made by a factory, with what each declares secret', async () => {
    const app = await start([{ module: TestPayModule }]);
    const registry = app.get(ProviderRegistry);
    expect(registry.names().sort()).toEqual(['noncepay', 'testpay']);
    expect(registry.get('noncepay')).toBeInstanceOf(NoncePayAdapter);
    // The configured values are every adapter's and the API tokens, whichever provider a request names.
    const values = [TEST_SECRET, 'test-api-token-0123456789abcdefghij'];
    expect(registry.secrets('noncepay')).toEqual({ queryParams: ['secret', 'nonce'], bodyFields: [], values: expect.any(Array) });
    expect(registry.secrets('noncepay').values.map((secret) => secret.reveal())).toEqual(values);
    // For a request that is no provider's: what any adapter declares.
    expect(registry.secrets()).toEqual({ queryParams: ['secret', 'session_sig', 'nonce'], bodyFields: ['secret', 'session_sig'], values: expect.any(Array) });
    expect(registry.secrets().values.map((secret) => secret.reveal())).toEqual(values);
    await app.close();
  });

  it('refuses a provider that is not enabled, naming the enabled ones', async () => {
    const app = await start([{ module: TestPayModule }]);
    const registry = app.get(ProviderRegistry);
    expect([registry.has('testpay'), registry.has('nobody')]).toEqual([true, false]);
    expect(() => registry.get('nobody')).toThrow(new UnknownProviderError('nobody', ['testpay', 'noncepay']));
    expect(() => registry.get('nobody')).toThrow('provider "nobody" is not enabled; enabled providers: testpay, noncepay');
    await app.close();
  });

  it('names a provider that is not enabled by its first 40 characters, and says when none is', () => {
    const error = new UnknownProviderError(`${'p'.repeat(40)}-and-more`, []);
    expect([error.name, error.provider, error.message]).toEqual(['UnknownProviderError', `${'p'.repeat(40)}-and-more`, `provider "${'p'.repeat(40)}" is not enabled; enabled providers: none`]);
  });

  it('finds a marked adapter given as a value', async () => {
    const app = await start([moduleProviding({ provide: 'VALUE_ADAPTER', useValue: new TestPayAdapter() })]);
    expect(app.get(ProviderRegistry).names()).toEqual(['testpay']);
    await app.close();
  });

  it('ignores an unmarked object shaped like an adapter, so an app without a marked one does not start', async () => {
    expect(await startError([moduleProviding({ provide: 'UNMARKED', useValue: new UnmarkedAdapter() })])).toBe(
      'TypeError: PaymentsModule: no provider adapter found; pass provider modules in `providers`, each providing a class marked @PaymentProvider()',
    );
  });

  it('refuses two adapters of one name', async () => {
    expect(await startError([{ module: TestPayModule }, moduleProviding({ provide: 'SECOND', useFactory: () => new TestPayAdapter() })])).toBe(
      'TypeError: provider "testpay" is registered twice',
    );
  });

  it('checks every adapter’s manifest at start-up', async () => {
    const failure = await start([moduleProviding(BadManifestAdapter)]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderCapabilityError);
    expect(String(failure)).toContain('provider "noncepay": declares coins unknown to the coin registry: NOPE');
  });
});
