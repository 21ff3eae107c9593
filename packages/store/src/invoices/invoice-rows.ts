import { type Invoice, nextTimeCheckAt, type Payment } from '@cryptopay/invoice';
import { type Insertable, type Selectable } from 'kysely';
import { readInteger, writeInteger } from '../database/integers.js';
import { type InvoicesTable, type PaymentsTable } from '../database/schema.js';

export type InvoiceRow = Selectable<InvoicesTable>;
export type PaymentRow = Selectable<PaymentsTable>;

/** Every column but `id`, as both an insert and an update write them. */
export function invoiceColumns(invoice: Invoice): Omit<Insertable<InvoicesTable>, 'id'> {
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

export function paymentRows(invoice: Invoice): Insertable<PaymentsTable>[] {
  return invoice.payments.map((payment, ordinal) => ({
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
  }));
}

export function toInvoice(row: InvoiceRow, payments: readonly PaymentRow[]): Invoice {
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
    payments: payments.map(toPayment),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toPayment(row: PaymentRow): Payment {
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
