export * from './money/index.js';
export type { Invoice, Payment, InvoiceStatus, ExceptionStatus, PaymentState } from './invoice/invoice.js';
export type { PaymentObservation, ObservationKind } from './invoice/observation.js';
export { type InvoicePolicy, DEFAULT_INVOICE_POLICY } from './invoice/policy.js';
export { type InvoiceRepository, InvoiceConcurrencyError } from './invoice/repository.js';
