export { PaymentsModule } from './payments.module.js';
export { PAYMENTS_MODULE_OPTIONS, type PaymentsModuleExtras } from './payments.module-definition.js';
export { type PaymentsModuleOptions, type ResolvedPaymentsOptions, type DeliveryLogOptions } from './payments.options.js';
export { PaymentsConfigError, validatePaymentsOptions } from './payments.options.validation.js';
export {
  type PaymentsStore,
  type PaymentsStoreTransaction,
  type StoreInvoices,
  type LockingInvoices,
  type CallbackInvoiceUpdate,
  type CallbackDeliveryLog,
  type CallbackDeliveryEntry,
  type CallbackDelivery,
  type DeliveryVerdict,
  type DeliverySource,
  type ReconciliationQueue,
  type DeliveryQuery,
  type DeliveryPage,
} from './store/payments-store.js';
export { DeliveryLogWriter } from './callbacks/delivery-log-writer.js';
export { DeliveryLogRetention } from './deliveries/delivery-log-retention.js';
export { PAYMENTS_STORE, COIN_REGISTRY } from './tokens.js';
export { CALLBACKS_PATH, CallbacksController } from './callbacks/callbacks.controller.js';
export { InvoiceService, type CreatedInvoice, IdempotencyKeyReusedError, UnsupportedCoinError, DEFAULT_COIN } from './invoices/invoice.service.js';
export { CreateInvoiceDto } from './invoices/create-invoice.dto.js';
export { InvoiceView, PaymentView, toInvoiceView } from './invoices/invoice.view.js';
export { ProviderRegistry, UnknownProviderError } from './providers/provider-registry.js';
export { ExpirySweep } from './expiry/expiry-sweep.service.js';
export { Reconciler, type ReconcilerPass } from './reconciliation/reconciler.service.js';
export { InvoiceReconciliation, type ReconciliationResult, ReconciliationUnsupportedError } from './reconciliation/invoice-reconciliation.service.js';
export { type ReconciliationOptions, type ResolvedReconciliationOptions, RECONCILIATION_DEFAULTS } from './reconciliation/reconciliation.options.js';
export { type ReconcileSchedule, DEFAULT_RECONCILE_SCHEDULE, parseReconcileSchedule, nextReconcileAt } from './reconciliation/reconcile-schedule.js';
export { ApiTokenGuard } from './auth/api-token.guard.js';
export { PaymentsMetrics } from './observability/payments-metrics.js';
export { redactTarget } from './callbacks/delivery-record.js';
export { type CheckoutOptions, type CheckoutBranding, type ResolvedCheckoutOptions, CheckoutConfigError } from './checkout/checkout.options.js';
export { type CheckoutStatus, type CheckoutPhase } from './checkout/checkout-status.js';
export { CheckoutUrls } from './checkout/checkout-urls.js';
export { PrincipalGuard } from './merchants/principal.guard.js';
export {
  type RequestPrincipal,
  CurrentPrincipal,
  principalOf,
  actsFor,
  RequireScopes,
  PlatformOnly,
} from './merchants/request-principal.js';
export { API_SCOPES, type ApiScope } from './merchants/api-scopes.js';
export { CredentialKeyRing, CredentialKeysError, CredentialDecryptionError } from './merchants/credential-keys.js';
export { rotateCredentialKeys, type RotationReport } from './merchants/rotate-credential-keys.js';
export { MerchantKeys } from './merchants/merchant-keys.js';
export { type MerchantStore, type MerchantRecord, type ApiKeyRecord, type ProviderAccountRecord, type ProviderAccountChange } from './merchants/merchant-store.js';
export { type MerchantsOptions, type ResolvedMerchantsOptions } from './payments.options.js';
export { type WebhookOptions, type ResolvedWebhookOptions } from './webhooks/webhook.options.js';
export { DEFAULT_RETRY_SCHEDULE, MAX_RETRY_WAIT_MS, parseRetryWait } from './webhooks/retry-schedule.js';
export { DURATION_RULE, parseDuration } from './scheduling/duration.js';
export { WEBHOOK_EVENT_TYPES, type WebhookEventType, WEBHOOK_TEST_EVENT } from './webhooks/webhook-events.js';
export { WebhookDispatcher } from './webhooks/webhook-dispatcher.service.js';
export { callerMerchant } from './webhooks/merchant-scope.js';
export {
  type WebhookStorePort,
  type WebhookEventEntry,
  type WebhookEndpoint,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
} from './webhooks/webhook-store.port.js';
export { type OutboxInvoiceCreation } from './store/payments-store.js';
