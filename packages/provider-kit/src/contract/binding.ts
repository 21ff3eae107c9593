import { type Invoice, type PaymentObservation } from '@cryptopay/invoice';
import { constantTimeEqual } from '../redaction/secret.js';
import { type PaymentNotification } from './notification.js';
import { type ProviderAdapter } from './provider-adapter.js';
import { type CallbackRefusal, rejected } from './verdict.js';

export type Binding = { readonly accepted: true; readonly observation: PaymentObservation } | CallbackRefusal;

/**
 * The binding policy, decided here once for every provider: a verified notification may change only
 * the invoice it belongs to. Wrong provider, wrong invoice, wrong or missing nonce, wrong address or
 * wrong coin are refused (403; 401 for a missing nonce) and never counted: an authentic callback that
 * does not fit its invoice is misrouted or made with a leaked credential. What the callback left out
 * (address, coin) is completed from the invoice.
 */
export function bindToInvoice(
  adapter: Pick<ProviderAdapter, 'name' | 'invoiceNonce'>,
  notification: Pick<PaymentNotification, 'invoice' | 'payment' | 'nonce'>,
  invoice: Invoice,
): Binding {
  if (invoice.provider !== adapter.name) return rejected(403, `invoice ${invoice.id} belongs to provider ${invoice.provider}, not ${adapter.name}`);
  const locator = locatorRefusal(notification, invoice);
  if (locator) return locator;
  const nonce = nonceRefusal(adapter, notification, invoice);
  if (nonce) return nonce;
  const { payment } = notification;
  const address = payment.address ?? invoice.address;
  if (address !== invoice.address) return rejected(403, `the payment's address is not the address of invoice ${invoice.id}`);
  const coin = payment.coin ?? invoice.coin;
  if (coin !== invoice.coin) return rejected(403, `the payment is in ${coin.slice(0, 16)} but invoice ${invoice.id} is in ${invoice.coin}`);
  const { txid, amount, kind, confirmations, rbf, test } = payment;
  return { accepted: true, observation: { coin, address, txid, amount, kind, confirmations, rbf, test } };
}

/**
 * The invoice the callback names must be this one, whichever way it names it: a callback found by an
 * address it does not also report as paid would otherwise take the invoice's address as its own.
 */
function locatorRefusal(notification: Pick<PaymentNotification, 'invoice'>, invoice: Invoice): CallbackRefusal | null {
  const locator = notification.invoice;
  if (locator.by === 'id') return locator.invoiceId === invoice.id ? null : rejected(403, `the callback names invoice ${locator.invoiceId}, not ${invoice.id}`);
  return locator.address === invoice.address ? null : rejected(403, `the callback names another address than invoice ${invoice.id}'s`);
}

function nonceRefusal(adapter: Pick<ProviderAdapter, 'invoiceNonce'>, notification: Pick<PaymentNotification, 'nonce'>, invoice: Invoice): CallbackRefusal | null {
  if (adapter.invoiceNonce === undefined) return null;
  const expected = adapter.invoiceNonce(invoice);
  if (!expected) return rejected(403, `invoice ${invoice.id} has no stored callback nonce to check against`);
  if (!notification.nonce) return rejected(401, 'the callback carries no nonce');
  if (!constantTimeEqual(expected, notification.nonce)) return rejected(403, `the nonce does not match invoice ${invoice.id}`);
  return null;
}
