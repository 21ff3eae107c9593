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
  type DeliveryQuery,
  type DeliveryPage,
} from './store/payments-store.js';
export { DeliveryLogWriter } from './callbacks/delivery-log-writer.js';
export { PAYMENTS_STORE, COIN_REGISTRY } from './tokens.js';
export { CALLBACKS_PATH, CallbacksController } from './callbacks/callbacks.controller.js';
export { InvoiceService, type CreatedInvoice, IdempotencyKeyReusedError, UnsupportedCoinError, DEFAULT_COIN } from './invoices/invoice.service.js';
export { CreateInvoiceDto } from './invoices/create-invoice.dto.js';
export { InvoiceView, PaymentView, toInvoiceView } from './invoices/invoice.view.js';
export { ProviderRegistry, UnknownProviderError } from './providers/provider-registry.js';
export { ExpirySweep } from './expiry/expiry-sweep.service.js';
export { ApiTokenGuard } from './auth/api-token.guard.js';
export { PaymentsMetrics } from './observability/payments-metrics.js';
export { redactTarget } from './callbacks/delivery-record.js';
export { type WebhookOptions, type ResolvedWebhookOptions } from './webhooks/webhook.options.js';
export { DEFAULT_RETRY_SCHEDULE, parseDuration } from './webhooks/retry-schedule.js';
export { WEBHOOK_EVENT_TYPES, type WebhookEventType, WEBHOOK_TEST_EVENT } from './webhooks/webhook-events.js';
export { WebhookDispatcher } from './webhooks/webhook-dispatcher.service.js';
export { DEFAULT_MERCHANT, callerMerchant } from './webhooks/merchant-scope.js';
export {
  type WebhookStorePort,
  type WebhookEventEntry,
  type WebhookEndpoint,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
} from './webhooks/webhook-store.port.js';
export { type OutboxInvoiceCreation } from './store/payments-store.js';
