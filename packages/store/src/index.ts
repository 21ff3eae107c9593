export { Store, createStore, type StoreTransaction } from './store.js';
export { type StoreOptions } from './options.js';
export { type StoreKind } from './database/database.js';
export { type MigrationReport } from './migrations/migrate.js';
export {
  PostgresInvoiceRepository,
  LockingInvoiceRepository,
  type InvoiceCreation,
  type InvoiceIdempotencyKey,
  type KeyedInvoice,
  type InvoiceWriteOptions,
} from './invoices/invoice-repository.js';
export { type StoredInvoice } from './invoices/invoice-rows.js';
export {
  DeliveryLog,
  MAX_DELIVERY_PAGE,
  MAX_RECORD_BATCH,
  type CallbackDelivery,
  type CallbackDeliveryEntry,
  type DeliveryQuery,
  type DeliveryPage,
} from './deliveries/delivery-log.js';
export { type DeliveryVerdict } from './database/schema.js';
export {
  StoreUnavailableError,
  type StoreUnavailableReason,
  StoreConfigError,
  DuplicatePaymentError,
  StoreQueryError,
} from './errors.js';
