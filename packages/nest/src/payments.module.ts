import { CoinRegistry } from '@cryptopay/invoice';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule, HttpAdapterHost } from '@nestjs/core';
import { ApiTokenGuard } from './auth/api-token.guard.js';
import { CallbackIntake } from './callbacks/callback-intake.service.js';
import { CallbackRecorder } from './callbacks/callback-recorder.js';
import { CALLBACK_BODY_LIMIT, CALLBACKS_PATH, CallbacksController } from './callbacks/callbacks.controller.js';
import { CallbackUrls } from './callbacks/callback-urls.js';
import { DeliveryLogWriter } from './callbacks/delivery-log-writer.js';
import { DeliveriesController } from './deliveries/deliveries.controller.js';
import { DeliveryLogRetention } from './deliveries/delivery-log-retention.js';
import { InvoiceUpdater } from './events/invoice-updater.js';
import { ExpirySweep } from './expiry/expiry-sweep.service.js';
import { InvoiceService } from './invoices/invoice.service.js';
import { INVOICE_BODY_LIMIT, INVOICE_BODY_TYPES, INVOICES_PATH } from './http/invoice-body.js';
import { RequestDrain } from './http/request-drain.js';
import { type BodyRoute, RouteBodies } from './http/route-bodies.js';
import { InvoicesController } from './invoices/invoices.controller.js';
import { HealthController } from './observability/health.controller.js';
import { MetricsController } from './observability/metrics.controller.js';
import { PaymentsMetrics } from './observability/payments-metrics.js';
import { ConfigurableModuleClass, PAYMENTS_MODULE_OPTIONS } from './payments.module-definition.js';
import { type PaymentsModuleOptions } from './payments.options.js';
import { ProviderRegistry } from './providers/provider-registry.js';
import { InvoiceReconciliation } from './reconciliation/invoice-reconciliation.service.js';
import { Reconciler } from './reconciliation/reconciler.service.js';
import { ReconciliationController } from './reconciliation/reconciliation.controller.js';
import { MerchantKeys } from './merchants/merchant-keys.js';
import { MerchantsController } from './merchants/merchants.controller.js';
import { MERCHANT_PROVIDERS } from './merchants/merchant-providers.js';
import { PrincipalGuard } from './merchants/principal.guard.js';
import { ProviderAccountsController } from './merchants/provider-accounts.controller.js';
import { type PaymentsStore } from './store/payments-store.js';
import { COIN_REGISTRY, PAYMENTS_STORE } from './tokens.js';
import { WebhookDeliveriesController } from './webhooks/webhook-deliveries.controller.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.service.js';
import { WEBHOOK_ENDPOINTS_PATH, WebhookEndpointsController } from './webhooks/webhook-endpoints.controller.js';

/** The routes whose bodies the module reads itself, ahead of the app's parsers. */
const BODY_ROUTES: readonly BodyRoute[] = [
  { path: `${CALLBACKS_PATH}/:provider`, methods: ['get', 'post'], body: { limit: CALLBACK_BODY_LIMIT } },
  { path: `${CALLBACKS_PATH}/:provider/:accountId`, methods: ['get', 'post'], body: { limit: CALLBACK_BODY_LIMIT } },
  { path: INVOICES_PATH, methods: ['post'], body: { limit: INVOICE_BODY_LIMIT, types: INVOICE_BODY_TYPES } },
  // Webhook endpoints' bodies are parsed as strictly as the invoice API's.
  { path: WEBHOOK_ENDPOINTS_PATH, methods: ['post'], body: { limit: INVOICE_BODY_LIMIT, types: INVOICE_BODY_TYPES } },
  { path: `${WEBHOOK_ENDPOINTS_PATH}/:id`, methods: ['patch'], body: { limit: INVOICE_BODY_LIMIT, types: INVOICE_BODY_TYPES } },
];

/**
 * Crypto payments for a Nest app: the callback route for every provider module it is given, the
 * invoice API, the expiry sweep, outbound webhooks (endpoints, deliveries and their dispatcher),
 * health and metrics. Domain events go out on `EventEmitter2` (import `EventEmitterModule.forRoot()`
 * in the app) after each commit, best-effort; webhooks are written with the commit (an outbox). Its routes are ordinary Nest
 * routes; nothing needs to be called on the app. On `app.close()` (also through
 * `enableShutdownHooks()`) it stops accepting, lets requests in flight finish, writes out the
 * delivery log, then closes the database (and the idempotency module its Redis).
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [CallbacksController, InvoicesController, ReconciliationController, DeliveriesController, WebhookEndpointsController, WebhookDeliveriesController, HealthController, MetricsController, MerchantsController, ProviderAccountsController],
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
    ...MERCHANT_PROVIDERS,
    ProviderRegistry,
    WebhookDispatcher,
    InvoiceUpdater,
    InvoiceService,
    CallbackUrls,
    DeliveryLogWriter,
    CallbackRecorder,
    CallbackIntake,
    ExpirySweep,
    DeliveryLogRetention,
    InvoiceReconciliation,
    Reconciler,
    { provide: RouteBodies, inject: [HttpAdapterHost], useFactory: (host: HttpAdapterHost) => new RouteBodies(host, BODY_ROUTES) },
    RequestDrain,
  ],
  exports: [
    InvoiceService,
    InvoiceReconciliation,
    Reconciler,
    DeliveryLogWriter,
    DeliveryLogRetention,
    PaymentsMetrics,
    ProviderRegistry,
    ApiTokenGuard,
    PrincipalGuard,
    MerchantKeys,
    PAYMENTS_MODULE_OPTIONS,
    PAYMENTS_STORE,
    COIN_REGISTRY,
  ],
})
export class PaymentsModule extends ConfigurableModuleClass implements OnApplicationShutdown {
  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(DeliveryLogWriter) private readonly deliveryLog: DeliveryLogWriter,
  ) {
    super();
  }

  /** Last: the requests in flight were answered ({@link RequestDrain}) and the HTTP server is closed. */
  async onApplicationShutdown(): Promise<void> {
    await this.deliveryLog.flush();
    await this.store.close();
  }
}
