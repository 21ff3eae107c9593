import { ConfigurableModuleBuilder, type DynamicModule } from '@nestjs/common';
import { type PaymentsModuleOptions } from './payments.options.js';
import { PROVIDER_MODULES } from './tokens.js';

/** Modules composed into the payments module, given to `forRoot` and `forRootAsync` alike. */
export interface PaymentsModuleExtras {
  /** Provider modules, e.g. `BlockonomicsModule.forRoot(...)`; each provides its adapter. */
  readonly providers: DynamicModule[];
  /** The idempotency module (`IdempotencyModule.forRoot(...)`), providing `IdempotencyGuardService`. */
  readonly idempotency: DynamicModule | null;
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: PAYMENTS_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<PaymentsModuleOptions>({ moduleName: 'Payments' })
    .setClassMethodName('forRoot')
    .setExtras<PaymentsModuleExtras>({ providers: [], idempotency: null }, (definition, extras) => ({
      ...definition,
      imports: [...(definition.imports ?? []), ...extras.providers, ...(extras.idempotency ? [extras.idempotency] : [])],
      providers: [...(definition.providers ?? []), { provide: PROVIDER_MODULES, useValue: extras.providers.map((module) => module.module) }],
    }))
    .build();
