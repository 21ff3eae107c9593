import { type Invoice } from '@cryptopay/invoice';
import { type Binding, bindToInvoice } from './binding.js';
import { type ReportedPayment } from './notification.js';
import { type ProviderAdapter } from './provider-adapter.js';

/**
 * How an adapter learns what the provider knows about an invoice when callbacks did not get
 * through: `address-history` — the transactions of the invoice's address (Blockonomics'
 * `searchhistory`); `provider-log` — the provider's own record of the payments it saw and the
 * callbacks it sent (BlockBee's logs).
 */
export type ReconciliationSource = 'address-history' | 'provider-log';

/**
 * One payment as the provider's records report it: the same shape, and the same meaning, as the
 * payment a callback for it would carry. Reconciling and delivering the callback therefore produce
 * the same observation, and the ledger's key `(coin, txid, address)` counts it once.
 */
export type ReconciledPayment = ReportedPayment;

/**
 * The observation a reconciled payment makes for `invoice`, under the same binding policy as a
 * callback's: a payment to another address or in another coin is refused, what the record left out
 * is completed from the invoice.
 */
export function bindReconciledPayment(adapter: Pick<ProviderAdapter, 'name'>, payment: ReconciledPayment, invoice: Invoice): Binding {
  return bindToInvoice({ name: adapter.name }, { invoice: { by: 'id', invoiceId: invoice.id }, payment }, invoice);
}
