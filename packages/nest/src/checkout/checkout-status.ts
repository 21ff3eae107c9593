import { amountPaid, type CoinRegistry, formatCoinAmount, formatFiatAmount, type Invoice, type StoredInvoice } from '@cryptopay/invoice';
import { networkOf, paymentUriOf } from './payment-uri.js';

/** Where the payer stands, in the words the page uses. */
export type CheckoutPhase = 'waiting' | 'partial' | 'received' | 'paid' | 'overpaid' | 'expired' | 'invalid';

/**
 * `GET /checkout/:invoiceId/status`: the public fields only — no order id, metadata or payments.
 * Amounts are exact decimal strings in coin units.
 */
export interface CheckoutStatus {
  readonly status: Invoice['status'];
  readonly exceptionStatus: Invoice['exceptionStatus'];
  readonly coin: string;
  readonly amountDue: string;
  readonly amountPaid: string;
  /**
   * What the payer is asked to send now: the rest of the amount due, or the provider's minimum
   * payment when the rest is below it (BlockBee forwards nothing smaller); "0" once the amount due is paid.
   */
  readonly remaining: string;
  readonly address: string;
  /** What the QR code holds while the invoice takes payments (BIP21 of `remaining`, or the plain address); null otherwise. */
  readonly paymentUri: string | null;
  readonly expiresAt: string;
  /** Seconds to `expiresAt` by the server's clock (0 once past): the page counts down from it, not from the payer's clock. */
  readonly secondsLeft: number;
}

/** What the page shows beside the public status. */
export interface CheckoutModel extends CheckoutStatus {
  readonly invoiceId: string;
  readonly phase: CheckoutPhase;
  readonly coinName: string;
  readonly network: string;
  readonly fiatAmount: string;
  readonly fiatCurrency: string;
  /** BlockBee's minimum payment: a smaller payment may never arrive. */
  readonly minimumPayment: string | null;
  /** The rest of the amount due when it is below the minimum payment (`remaining` then asks for the minimum); else null. */
  readonly restBelowMinimum: string | null;
  readonly redirectUrl: string | null;
  readonly version: number;
}

export function checkoutStatusOf(invoice: StoredInvoice, coins: CoinRegistry, now: Date): CheckoutStatus {
  const { status, exceptionStatus, remaining, paid, secondsLeft } = figures(invoice, now);
  const coin = coins.get(invoice.coin);
  const remainingText = formatCoinAmount(coin, remaining);
  const takesPayment = status === 'new' && remaining > 0n && secondsLeft > 0;
  return {
    status,
    exceptionStatus,
    coin: invoice.coin,
    amountDue: formatCoinAmount(coin, invoice.amountDue),
    amountPaid: formatCoinAmount(coin, paid),
    remaining: remainingText,
    address: invoice.address,
    paymentUri: takesPayment ? paymentUriOf(coin, invoice.address, remainingText) : null,
    expiresAt: invoice.expiresAt.toISOString(),
    secondsLeft,
  };
}

export function checkoutModelOf(invoice: StoredInvoice, coins: CoinRegistry, now: Date): CheckoutModel {
  const status = checkoutStatusOf(invoice, coins, now);
  const coin = coins.get(invoice.coin);
  const { rest, remaining } = figures(invoice, now);
  return {
    ...status,
    invoiceId: invoice.id,
    phase: phaseOf(status, invoice),
    coinName: coin.name,
    network: networkOf(coin),
    fiatAmount: formatFiatAmount(invoice.fiat),
    fiatCurrency: invoice.fiat.currency,
    minimumPayment: invoice.minimumPayment === null ? null : formatCoinAmount(coin, invoice.minimumPayment),
    restBelowMinimum: rest === remaining ? null : formatCoinAmount(coin, rest),
    redirectUrl: invoice.redirectUrl,
    version: invoice.version,
  };
}

function figures(invoice: StoredInvoice, now: Date) {
  const paid = amountPaid(invoice);
  const rest = invoice.amountDue > paid ? invoice.amountDue - paid : 0n;
  // BlockBee never forwards a payment below its minimum (the funds are lost): a smaller rest is asked
  // for as the minimum, as BlockBee's own WooCommerce plugin does; the difference is an overpayment.
  const minimum = invoice.minimumPayment ?? 0n;
  const remaining = rest > 0n && rest < minimum ? minimum : rest;
  const secondsLeft = Math.max(0, Math.ceil((invoice.expiresAt.getTime() - now.getTime()) / 1_000));
  // The sweep marks an invoice expired a little after the fact; the page says so at once.
  const lapsed = invoice.status === 'new' && secondsLeft === 0;
  return { status: lapsed ? ('expired' as const) : invoice.status, exceptionStatus: invoice.exceptionStatus, rest, remaining, paid, secondsLeft };
}

function phaseOf(status: CheckoutStatus, invoice: StoredInvoice): CheckoutPhase {
  switch (status.status) {
    case 'invalid':
      return 'invalid';
    case 'expired':
      return 'expired';
    case 'settled':
      return status.exceptionStatus === 'paidOver' ? 'overpaid' : 'paid';
    case 'processing':
      return 'received';
    case 'new':
      return amountPaid(invoice) > 0n ? 'partial' : 'waiting';
  }
}

