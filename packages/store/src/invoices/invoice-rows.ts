import { type Invoice, nextTimeCheckAt, type Payment, type PaymentState, type StoredInvoice } from '@cryptopay/invoice';
import { type Insertable, type Selectable } from 'kysely';
import { readInteger, writeInteger } from '../database/integers.js';
import { type InvoicesTable, type PaymentsTable } from '../database/schema.js';

/** An invoice as its reads select it: the reconciler's schedule is not part of the invoice. */
export type InvoiceRow = Omit<Selectable<InvoicesTable>, 'next_reconcile_at'>;
export type PaymentRow = Selectable<PaymentsTable>;

/** Columns written once, when the invoice is created. */
type CreationColumn = 'minimum_payment' | 'redirect_url' | 'idempotency_caller' | 'idempotency_key' | 'idempotency_fingerprint' | 'merchant_id' | 'provider_account_id';

/** Every column an update writes (all but `id` and the ones fixed at creation). */
export function invoiceColumns(invoice: Invoice): Omit<Insertable<InvoicesTable>, 'id' | CreationColumn> {
  return {
    provider: invoice.provider,
    coin: invoice.coin,
    order_id: invoice.orderId,
    fiat_currency: invoice.fiat.currency,
    fiat_minor: writeInteger(invoice.fiat.minor),
    rate: invoice.rate,
    amount_due: writeInteger(invoice.amountDue),
    address: invoice.address,
    provider_reference: invoice.providerReference,
    expires_at: invoice.expiresAt,
    status: invoice.status,
    exception_status: invoice.exceptionStatus,
    policy: JSON.stringify(invoice.policy),
    metadata: JSON.stringify(invoice.metadata),
    version: invoice.version,
    next_time_check_at: nextTimeCheckAt(invoice),
    created_at: invoice.createdAt,
    updated_at: invoice.updatedAt,
  };
}

/** A ledger row as the invoice queries aggregate it (JSON): amounts as text, timestamps as ISO text. */
export interface PaymentJson {
  readonly coin: string;
  readonly txid: string;
  readonly address: string;
  readonly amount: string;
  readonly state: PaymentState;
  readonly confirmations: number | null;
  readonly rbf: boolean;
  readonly test: boolean;
  readonly received_at: string;
  readonly updated_at: string;
}

/**
 * The ledger rows to write for `invoice`: every payment, or, given the same invoice as stored one
 * version earlier, only the payments it added or changed (the invoice package replaces a changed
 * payment and keeps an unchanged one as the same object, and only ever appends).
 */
export function paymentRows(invoice: Invoice, stored?: Invoice): Insertable<PaymentsTable>[] {
  const rows: Insertable<PaymentsTable>[] = [];
  invoice.payments.forEach((payment, ordinal) => {
    if (stored?.payments[ordinal] !== payment) rows.push(paymentRow(invoice, payment, ordinal));
  });
  return rows;
}

function paymentRow(invoice: Invoice, payment: Payment, ordinal: number): Insertable<PaymentsTable> {
  return {
    invoice_id: invoice.id,
    coin: payment.coin,
    txid: payment.txid,
    address: payment.address,
    ordinal,
    amount: writeInteger(payment.amount),
    state: payment.state,
    confirmations: payment.confirmations,
    rbf: payment.rbf,
    test: payment.test,
    received_at: payment.receivedAt,
    updated_at: payment.updatedAt,
  };
}

export function toInvoice(row: InvoiceRow, payments: readonly Payment[]): StoredInvoice {
  return {
    id: row.id,
    provider: row.provider,
    coin: row.coin,
    orderId: row.order_id,
    fiat: { currency: row.fiat_currency, minor: readInteger(row.fiat_minor, 'invoices.fiat_minor') },
    rate: row.rate,
    amountDue: readInteger(row.amount_due, 'invoices.amount_due'),
    address: row.address,
    providerReference: row.provider_reference,
    expiresAt: row.expires_at,
    status: row.status,
    exceptionStatus: row.exception_status,
    policy: row.policy,
    metadata: row.metadata,
    payments,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    minimumPayment: row.minimum_payment === null ? null : readInteger(row.minimum_payment, 'invoices.minimum_payment'),
    redirectUrl: row.redirect_url,
    merchantId: row.merchant_id,
    providerAccountId: row.provider_account_id,
  };
}

export function toPayment(row: PaymentRow): Payment {
  return {
    coin: row.coin,
    txid: row.txid,
    address: row.address,
    amount: readInteger(row.amount, 'payments.amount'),
    state: row.state,
    confirmations: row.confirmations,
    rbf: row.rbf,
    test: row.test,
    receivedAt: row.received_at,
    updatedAt: row.updated_at,
  };
}

export function jsonToPayment(json: PaymentJson): Payment {
  return {
    coin: json.coin,
    txid: json.txid,
    address: json.address,
    amount: readInteger(json.amount, 'payments.amount'),
    state: json.state,
    confirmations: json.confirmations,
    rbf: json.rbf,
    test: json.test,
    receivedAt: readTimestamp(json.received_at, 'payments.received_at'),
    updatedAt: readTimestamp(json.updated_at, 'payments.updated_at'),
  };
}

function readTimestamp(text: string, column: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new TypeError(`column ${column} did not hold a timestamp`);
  return date;
}
