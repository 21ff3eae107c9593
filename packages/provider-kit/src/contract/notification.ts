import { type PaymentObservation } from '@cryptopay/invoice';

/** How the invoice a callback is about can be found. */
export type InvoiceLocator =
  | { readonly by: 'id'; readonly invoiceId: string }
  | { readonly by: 'address'; readonly address: string };

/** A verified callback, normalized into our model. */
export interface CallbackNotification {
  /**
   * Identifies this delivery for the idempotency guard: retries of the same delivery share it,
   * a new state of the same payment does not (Blockonomics: txid+addr+status; BlockBee: uuid+pending).
   */
  readonly deliveryKey: string;
  readonly invoice: InvoiceLocator;
  readonly observation: PaymentObservation;
  /**
   * Set when the callback is authentic and well-formed but must change no invoice (e.g. a
   * dashboard test payment while test payments are off): the core records it and acknowledges
   * it as `unmatched`, without binding or applying it. Absent for every ordinary callback.
   */
  readonly ignoreReason?: string;
}
