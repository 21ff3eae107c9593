export { Store, createStore, type StoreTransaction } from './store.js';
export { type StoreOptions, type ResolvedStoreOptions, resolveStoreOptions } from './options.js';
export { type PoolUsage, type StoreKind } from './database/database.js';
export { type MigrationObserver, type MigrationReport } from './migrations/migrate.js';
export {
  PostgresInvoiceRepository,
  LockingInvoiceRepository,
  type InvoiceWriteOptions,
  type InvoiceCreationWrite,
} from './invoices/invoice-repository.js';
export { type WebhookEventEntry } from './webhooks/webhook-outbox.js';
export {
  WebhookStore,
  type WebhookEndpoint,
  type NewWebhookEndpoint,
  type WebhookEndpointChange,
  type WebhookDelivery,
  type WebhookDeliveryQuery,
  type WebhookDeliveryPage,
  type ClaimedWebhookDelivery,
  type WebhookClaim,
  type WebhookAttemptResult,
} from './webhooks/webhook-store.js';
export { type WebhookDeliveryStatus } from './database/schema.js';
export {
  DeliveryLog,
  type CallbackDelivery,
  type CallbackDeliveryEntry,
  type DeliveryQuery,
  type DeliveryPage,
} from './deliveries/delivery-log.js';
export { type DeliveryVerdict, type DeliverySource } from './database/schema.js';
export { ReconciliationQueue } from './reconciliation/reconciliation-queue.js';
export {
  StoreUnavailableError,
  type StoreUnavailableReason,
  StoreConfigError,
  StoreSessionError,
  type SessionSettingMismatch,
  DuplicatePaymentError,
  StoreQueryError,
} from './errors.js';
export {
  MerchantDirectory,
  type MerchantRecord,
  type ApiKeyRecord,
  type ProviderAccountRecord,
  type ProviderAccountChange,
} from './merchants/merchant-directory.js';
