export * from './money/index.js';
export type { Invoice, Payment, InvoiceStatus, ExceptionStatus, PaymentState } from './invoice/invoice.js';
export { type PaymentObservation, type ObservationKind, validateObservation } from './invoice/observation.js';
export {
  type InvoicePolicy,
  DEFAULT_INVOICE_POLICY,
  MAX_POLICY_MINUTES,
  MAX_TOLERANCE_SCALE,
  invoicePolicy,
  validateInvoicePolicy,
  parseTolerancePercent,
} from './invoice/policy.js';
export {
  type ProviderConfirmationPolicy,
  MAX_REQUIRED_CONFIRMATIONS,
  providerConfirmationPolicy,
  classifyConfirmations,
} from './invoice/confirmation-policy.js';
export { InvoiceError, type InvoiceErrorCode } from './invoice/errors.js';
export { MAX_TEXT_LENGTH } from './invoice/validation.js';
export { type NewInvoice, createInvoice } from './invoice/create.js';
export { type InvoiceChange, applyObservation, applyClock } from './invoice/apply.js';
export { type InvoiceState, type StatusFacts, nextState, statusFacts, monitoringEndsAt, nextTimeCheckAt } from './invoice/status.js';
export { isCounted, amountPaid, amountConfirmed, paymentThreshold } from './invoice/amounts.js';
export {
  type InvoiceEvent,
  type InvoiceEventType,
  type InvoiceStatusEvent,
  type InvoiceStatusEventType,
  type InvoicePaymentEvent,
  type InvoicePaymentEventType,
  INVOICE_EVENT_TYPES,
  INVOICE_STATUS_EVENT_TYPES,
  INVOICE_PAYMENT_EVENT_TYPES,
} from './invoice/events.js';
export {
  type InvoiceRepository,
  type StoredInvoice,
  type InvoiceCreation,
  type InvoiceIdempotencyKey,
  type KeyedInvoice,
  type InvoiceUpdate,
  DEFAULT_MERCHANT_ID,
} from './invoice/repository.js';
export {
  InvoiceConcurrencyError,
  InvoiceAlreadyExistsError,
  DuplicatePaymentError,
  StoreUnavailableError,
  type StoreUnavailableReason,
  StoreQueryError,
} from './invoice/repository-errors.js';
export { isInvoiceId } from './invoice/invoice-id.js';
export { InMemoryInvoiceRepository } from './invoice/in-memory-repository.js';
