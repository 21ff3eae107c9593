import { type ObservationKind } from '@cryptopay/invoice';

/** How the invoice a callback is about can be found. */
export type InvoiceLocator =
  | { readonly by: 'id'; readonly invoiceId: string }
  | { readonly by: 'address'; readonly address: string };

/**
 * One payment as a callback reports it. What a callback does not carry (a provider that names the
 * order but not the paid address, or not the coin) is left out, and the core completes it from the
 * invoice found; what it does carry must match that invoice (see `bindToInvoice`).
 */
export interface ReportedPayment {
  readonly txid: string;
  /** Base units of the coin this transaction paid (not a running total). */
  readonly amount: bigint;
  readonly kind: ObservationKind;
  readonly confirmations: number | null;
  readonly rbf: boolean;
  readonly test: boolean;
  readonly address?: string;
  readonly coin?: string;
}

/** A verified callback that reports a payment, with what binds it to one invoice. */
export interface PaymentNotification {
  /**
   * Identifies this delivery for the idempotency guard: retries of the same delivery share it,
   * a new state of the same payment does not (Blockonomics: txid+addr+status; BlockBee: uuid+pending).
   */
  readonly deliveryKey: string;
  readonly invoice: InvoiceLocator;
  readonly payment: ReportedPayment;
  /**
   * The per-invoice secret the callback carried (e.g. BlockBee's nonce in the callback URL), when the
   * adapter binds callbacks with one (`ProviderAdapter.invoiceNonce`); the core compares it with the
   * invoice's in constant time.
   */
  readonly nonce?: string;
}

/**
 * An authentic, well-formed callback that must change no invoice (a dashboard test payment while
 * test payments are off, a pending webhook without an amount): the core records it and acknowledges
 * it as `unmatched`, without finding, binding or applying anything.
 */
export interface IgnoredNotification {
  readonly deliveryKey: string;
  readonly ignoreReason: string;
}

/** What `parse` makes of a verified callback. */
export type CallbackNotification = PaymentNotification | IgnoredNotification;

export function isIgnored(notification: CallbackNotification): notification is IgnoredNotification {
  return 'ignoreReason' in notification;
}
