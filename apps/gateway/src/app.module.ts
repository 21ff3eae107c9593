import { IdempotencyModule } from '@cryptopay/idempotency';
import { CoinRegistry, DEFAULT_COINS } from '@cryptopay/invoice';
import { PaymentsMetrics, PaymentsModule } from '@cryptopay/nest';
import { type Store } from '@cryptopay/store';
import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { type ConfiguredProvider } from './config/provider-settings.js';
import { type GatewaySettings } from './config/runtime.js';
import { SandboxController } from './sandbox/sandbox.controller.js';
import { type SandboxProviders } from './sandbox/sandbox-providers.js';
import { SANDBOX_PROVIDERS } from './sandbox/sandbox.token.js';
import { merchantsOptions } from './merchants/merchant-settings.js';

export interface GatewayParts {
  readonly settings: GatewaySettings;
  readonly store: Store;
  /** Running simulators in sandbox mode, null otherwise. */
  readonly sandbox: SandboxProviders | null;
}

/** The gateway: only composition of the packages, from the settings. */
@Module({})
export class GatewayModule {
  static forRoot(parts: GatewayParts): DynamicModule {
    const { settings, store, sandbox } = parts;
    const { modules } = settings;
    const metrics = new PaymentsMetrics();
    // The providers the environment enables; in sandbox mode every one, against its simulator.
    const providers: readonly ConfiguredProvider[] = sandbox ? sandbox.providers : settings.providers;
    return {
      module: GatewayModule,
      imports: [
        EventEmitterModule.forRoot(),
        PaymentsModule.forRoot({
          ...modules.payments,
          providers: providers.map(({ registration, options }) => registration.module(options)),
          idempotency: IdempotencyModule.forRoot({ ...modules.idempotency, metrics: metrics.idempotencyHooks() }),
          store,
          metrics,
          coins: new CoinRegistry([...DEFAULT_COINS, ...providers.flatMap(({ registration }) => registration.coins ?? [])]),
          // The hosted checkout page at /checkout/:invoiceId (docs/checkout.md).
          checkout: {},
          merchants: merchantsOptions(settings, sandbox),
        }),
      ],
      controllers: sandbox ? [SandboxController] : [],
      providers: sandbox ? [{ provide: SANDBOX_PROVIDERS, useValue: sandbox }] : [],
    };
  }
}
