import { amountConfirmed, amountPaid } from './amounts.js';
import { type ExceptionStatus, type Invoice, type InvoiceStatus, type Payment } from './invoice.js';

/** Events about the invoice as a whole: its creation, status and exception status changes. */
export const INVOICE_STATUS_EVENT_TYPES = [
  'invoice.created',
  'invoice.processing',
  'invoice.settled',
  'invoice.expired',
  'invoice.invalid',
  'invoice.reopened',
  'invoice.paid_partial',
  'invoice.paid_over',
  'invoice.paid_late',
] as const;

/** Events about one payment in the ledger. */
export const INVOICE_PAYMENT_EVENT_TYPES = [
  'invoice.payment_received',
  'invoice.payment_confirmed',
  'invoice.payment_reverted',
  'invoice.payment_updated',
] as const;

export const INVOICE_EVENT_TYPES = [...INVOICE_STATUS_EVENT_TYPES, ...INVOICE_PAYMENT_EVENT_TYPES] as const;

export type InvoiceStatusEventType = (typeof INVOICE_STATUS_EVENT_TYPES)[number];
export type InvoicePaymentEventType = (typeof INVOICE_PAYMENT_EVENT_TYPES)[number];
export type InvoiceEventType = (typeof INVOICE_EVENT_TYPES)[number];

interface InvoiceEventBase<T extends InvoiceEventType> {
  readonly type: T;
  readonly invoiceId: string;
  readonly occurredAt: Date;
}

/** The invoice's status and figures right after the change. */
export interface InvoiceStatusEvent<T extends InvoiceStatusEventType = InvoiceStatusEventType> extends InvoiceEventBase<T> {
  readonly status: InvoiceStatus;
  readonly exceptionStatus: ExceptionStatus;
  readonly amountDue: bigint;
  readonly amountPaid: bigint;
  readonly amountConfirmed: bigint;
}

/** The payment as recorded right after the change (identity `(coin, txid, address)`, amount, state). */
export interface InvoicePaymentEvent<T extends InvoicePaymentEventType = InvoicePaymentEventType> extends InvoiceEventBase<T> {
  readonly payment: Payment;
}

/** Every domain event, discriminated by `type`. */
export type InvoiceEvent =
  | { [T in InvoiceStatusEventType]: InvoiceStatusEvent<T> }[InvoiceStatusEventType]
  | { [T in InvoicePaymentEventType]: InvoicePaymentEvent<T> }[InvoicePaymentEventType];

/** The status event announcing that an invoice entered each status. */
export const STATUS_EVENT_TYPE: Readonly<Record<InvoiceStatus, InvoiceStatusEventType>> = {
  new: 'invoice.reopened',
  processing: 'invoice.processing',
  settled: 'invoice.settled',
  expired: 'invoice.expired',
  invalid: 'invoice.invalid',
};

/** The status event announcing each exception status. */
export const EXCEPTION_EVENT_TYPE: Readonly<Record<NonNullable<ExceptionStatus>, InvoiceStatusEventType>> = {
  paidPartial: 'invoice.paid_partial',
  paidOver: 'invoice.paid_over',
  paidLate: 'invoice.paid_late',
};

/** A status event carrying the invoice's state and figures as they are in `invoice`. */
export function statusEvent(type: InvoiceStatusEventType, invoice: Invoice, now: Date): InvoiceStatusEvent {
  return {
    type,
    invoiceId: invoice.id,
    occurredAt: now,
    status: invoice.status,
    exceptionStatus: invoice.exceptionStatus,
    amountDue: invoice.amountDue,
    amountPaid: amountPaid(invoice),
    amountConfirmed: amountConfirmed(invoice),
  };
}
