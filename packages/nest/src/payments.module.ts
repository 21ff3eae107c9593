import { CoinRegistry } from '@cryptopay/invoice';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ApiTokenGuard } from './auth/api-token.guard.js';
import { CallbackIntake } from './callbacks/callback-intake.service.js';
import { CallbackRecorder } from './callbacks/callback-recorder.js';
import { DeliveryLogWriter } from './callbacks/delivery-log-writer.js';
import { CallbackRoute } from './callbacks/callback-route.js';
import { DeliveriesController } from './deliveries/deliveries.controller.js';
import { InvoiceUpdater } from './events/invoice-updater.js';
import { ExpirySweep } from './expiry/expiry-sweep.service.js';
import { InvoiceService } from './invoices/invoice.service.js';
import { InvoicesController } from './invoices/invoices.controller.js';
import { HealthController } from './observability/health.controller.js';
import { MetricsController } from './observability/metrics.controller.js';
import { PaymentsMetrics } from './observability/payments-metrics.js';
import { ConfigurableModuleClass, PAYMENTS_MODULE_OPTIONS } from './payments.module-definition.js';
import { type PaymentsModuleOptions } from './payments.options.js';
import { ProviderRegistry } from './providers/provider-registry.js';
import { type PaymentsStore } from './store/payments-store.js';
import { COIN_REGISTRY, PAYMENTS_STORE } from './tokens.js';

/**
 * Crypto payments for a Nest app: the callback intake for every provider module it is given, the
 * invoice API, the expiry sweep, health and metrics. Domain events go out on `EventEmitter2`
 * (import `EventEmitterModule.forRoot()` in the app) after each commit.
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [InvoicesController, DeliveriesController, HealthController, MetricsController],
  providers: [
    { provide: PAYMENTS_STORE, inject: [PAYMENTS_MODULE_OPTIONS], useFactory: (options: PaymentsModuleOptions) => options.store },
    {
      provide: COIN_REGISTRY,
      inject: [PAYMENTS_MODULE_OPTIONS],
      useFactory: (options: PaymentsModuleOptions) => options.coins ?? new CoinRegistry(),
    },
    {
      provide: PaymentsMetrics,
      inject: [PAYMENTS_MODULE_OPTIONS],
      useFactory: (options: PaymentsModuleOptions) => options.metrics ?? new PaymentsMetrics(),
    },
    ApiTokenGuard,
    ProviderRegistry,
    InvoiceUpdater,
    InvoiceService,
    DeliveryLogWriter,
    CallbackRecorder,
    CallbackIntake,
    CallbackRoute,
    ExpirySweep,
  ],
  exports: [InvoiceService, DeliveryLogWriter, PaymentsMetrics, ProviderRegistry, ApiTokenGuard, PAYMENTS_MODULE_OPTIONS, PAYMENTS_STORE, COIN_REGISTRY],
})
export class PaymentsModule extends ConfigurableModuleClass implements OnApplicationShutdown {
  constructor(@Inject(PAYMENTS_STORE) private readonly store: PaymentsStore) {
    super();
  }

  /** After the HTTP server stopped and in-flight requests finished (Nest closes the server first). */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
