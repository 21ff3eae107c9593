import { IdempotencyModule } from '@cryptopay/idempotency';
import { CoinRegistry, DEFAULT_COINS } from '@cryptopay/invoice';
import { PaymentsMetrics, PaymentsModule } from '@cryptopay/nest';
import { BLOCKBEE_EXTRA_COINS, BlockBeeModule, type BlockBeeOptions } from '@cryptopay/provider-blockbee';
import { BlockonomicsModule, type BlockonomicsOptions } from '@cryptopay/provider-blockonomics';
import { type Store } from '@cryptopay/store';
import { type DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { type GatewaySettings } from './config/runtime.js';
import { SandboxController } from './sandbox/sandbox.controller.js';
import { type SandboxProviders } from './sandbox/sandbox-providers.js';
import { SANDBOX_PROVIDERS } from './sandbox/sandbox.token.js';

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
    return {
      module: GatewayModule,
      imports: [
        EventEmitterModule.forRoot(),
        PaymentsModule.forRoot({
          ...modules.payments,
          providers: providerModules(settings, sandbox),
          idempotency: IdempotencyModule.forRoot({ ...modules.idempotency, metrics: metrics.idempotencyHooks() }),
          store,
          metrics,
          coins: new CoinRegistry([...DEFAULT_COINS, ...BLOCKBEE_EXTRA_COINS]),
        }),
      ],
      controllers: sandbox ? [SandboxController] : [],
      providers: sandbox ? [{ provide: SANDBOX_PROVIDERS, useValue: sandbox }] : [],
    };
  }
}

/** A provider is enabled when its API key is set; in sandbox mode both run against their simulators. */
function providerModules(settings: GatewaySettings, sandbox: SandboxProviders | null): DynamicModule[] {
  if (sandbox) return [BlockonomicsModule.forRoot(sandbox.blockonomicsOptions()), BlockBeeModule.forRoot(sandbox.blockbeeOptions())];
  const { blockonomics, blockbee } = settings.modules;
  return [
    ...(blockonomics.apiKey ? [BlockonomicsModule.forRoot(blockonomics as BlockonomicsOptions)] : []),
    ...(blockbee.apiKey ? [BlockBeeModule.forRoot(blockbee as BlockBeeOptions)] : []),
  ];
}
