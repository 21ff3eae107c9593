import { IdempotencyModule } from '@cryptopay/idempotency';
import { CoinRegistry, DEFAULT_COINS } from '@cryptopay/invoice';
import { PaymentsMetrics, PaymentsModule } from '@cryptopay/nest';
import { BLOCKBEE_EXTRA_COINS, BLOCKBEE_PUBLIC_KEY_PEM, BLOCKBEE_CALLBACK_IPS, BlockBeeModule } from '@cryptopay/provider-blockbee';
import { BlockonomicsModule } from '@cryptopay/provider-blockonomics';
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
    const { config } = settings;
    const metrics = new PaymentsMetrics();
    return {
      module: GatewayModule,
      imports: [
        EventEmitterModule.forRoot(),
        PaymentsModule.forRoot({
          providers: providerModules(settings, sandbox),
          idempotency: IdempotencyModule.forRoot({
            ...(config.REDIS_URL ? { store: 'redis', redisUrl: config.REDIS_URL } : { store: 'memory' }),
            keyPrefix: config.IDEMPOTENCY_KEY_PREFIX,
            leaseMs: config.IDEMPOTENCY_LEASE_SECONDS * 1000,
            resultTtlMs: config.IDEMPOTENCY_RESULT_TTL_HOURS * 3_600_000,
            recentOutcomes: config.IDEMPOTENCY_RECENT_OUTCOMES,
            metrics: metrics.idempotencyHooks(),
          }),
          store,
          metrics,
          coins: new CoinRegistry([...DEFAULT_COINS, ...BLOCKBEE_EXTRA_COINS]),
          publicUrl: settings.publicUrl,
          apiTokens: settings.apiTokens,
          trustedProxies: config.TRUST_PROXY,
          policies: {
            expiryMinutes: config.INVOICE_EXPIRY_MINUTES,
            tolerancePercent: config.PAYMENT_TOLERANCE_PERCENT,
            allowTestPayments: settings.sandbox,
          },
          sweepIntervalMs: config.EXPIRY_SWEEP_SECONDS * 1000,
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
  const { config } = settings;
  const modules: DynamicModule[] = [];
  if (config.BLOCKONOMICS_API_KEY) {
    modules.push(
      BlockonomicsModule.forRoot({
        apiKey: config.BLOCKONOMICS_API_KEY,
        callbackSecret: config.BLOCKONOMICS_CALLBACK_SECRET ?? '',
        apiBaseUrl: config.BLOCKONOMICS_API_URL,
        confirmations: config.BLOCKONOMICS_CONFIRMATIONS as 0 | 1 | 2,
      }),
    );
  }
  if (config.BLOCKBEE_API_KEY) {
    modules.push(
      BlockBeeModule.forRoot({
        apiKey: config.BLOCKBEE_API_KEY,
        apiBaseUrl: config.BLOCKBEE_API_URL,
        publicKeyPem: config.BLOCKBEE_PUBLIC_KEY ?? BLOCKBEE_PUBLIC_KEY_PEM,
        allowlist: config.BLOCKBEE_ALLOWED_IPS ?? [...BLOCKBEE_CALLBACK_IPS],
        trustedProxies: config.TRUST_PROXY,
      }),
    );
  }
  return modules;
}
