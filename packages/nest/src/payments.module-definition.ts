import { ConfigurableModuleBuilder, type DynamicModule, type Provider } from '@nestjs/common';
import { checkoutParts } from './checkout/checkout-parts.js';
import { type CheckoutOptions } from './checkout/checkout.options.js';
import { type PaymentsModuleOptions } from './payments.options.js';
import { validatePaymentsOptions } from './payments.options.validation.js';
import { PAYMENTS_MODULE_OPTIONS } from './tokens.js';

/** Modules composed into the payments module, given to `forRoot` and `forRootAsync` alike. */
export interface PaymentsModuleExtras {
  /**
   * Provider modules, e.g. `BlockonomicsModule.forRoot(...)`, imported into the payments module. Each
   * provides its adapter, a class marked `@PaymentProvider()` (`@cryptopay/provider-kit/nest`), which
   * the payments module finds by that mark.
   */
  readonly providers: DynamicModule[];
  /** The idempotency module (`IdempotencyModule.forRoot(...)`), providing `IdempotencyGuardService`. */
  readonly idempotency: DynamicModule | null;
  /** The hosted checkout page (`docs/checkout.md`): off unless given; given here because it decides the routes. */
  readonly checkout?: CheckoutOptions;
}

export { PAYMENTS_MODULE_OPTIONS };

export const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<PaymentsModuleOptions>({
  moduleName: 'Payments',
  optionsInjectionToken: PAYMENTS_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras<PaymentsModuleExtras>({ providers: [], idempotency: null, checkout: undefined }, (definition, extras) => {
    const checkout = checkoutParts(extras.checkout);
    return {
      ...definition,
      imports: [...(definition.imports ?? []), ...extras.providers, ...(extras.idempotency ? [extras.idempotency] : [])],
      controllers: [...(definition.controllers ?? []), ...checkout.controllers],
      providers: [...(definition.providers ?? []).map(validatedOptions), ...checkout.providers],
    };
  })
  .build();

/**
 * The options provider, checked when it is built: `forRoot`'s value and every `forRootAsync` form
 * (a factory, or a class's `create…` method, which the builder also turns into a factory).
 */
function validatedOptions(provider: Provider): Provider {
  if (typeof provider !== 'object' || !('provide' in provider) || provider.provide !== PAYMENTS_MODULE_OPTIONS) return provider;
  if ('useValue' in provider) return { provide: PAYMENTS_MODULE_OPTIONS, useFactory: () => validatePaymentsOptions(provider.useValue as PaymentsModuleOptions) };
  if ('useFactory' in provider) {
    const create = provider.useFactory;
    return { ...provider, useFactory: async (...args: unknown[]) => validatePaymentsOptions((await create(...args)) as PaymentsModuleOptions) };
  }
  return provider;
}
