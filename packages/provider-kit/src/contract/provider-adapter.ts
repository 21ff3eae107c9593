import { type Invoice } from '@cryptopay/invoice';
import { type Acknowledgement, type CallbackOutcome } from './acknowledgement.js';
import { type ProviderCapabilities } from './capabilities.js';
import { type CallbackNotification } from './notification.js';
import { type PaymentRequest, type PaymentRequestInput } from './payment-request.js';
import { type RawCallback } from './raw-callback.js';
import { type CallbackVerdict } from './verdict.js';

/**
 * The one contract a payment gateway implements. The core calls, for every callback:
 * `verifyCallback` → `parseCallback` → (find invoice) → `bindToInvoice` → idempotency claim →
 * apply → `acknowledge`. Nothing is claimed or stored before both checks accept.
 */
export interface ProviderAdapter {
  /** Lower-case name used in routes and keys: `/v1/callbacks/<name>`. */
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  /**
   * Query parameters (names, case-insensitive) that carry a secret in this provider's callbacks — a
   * URL secret, a per-invoice nonce. The core redacts their values wherever it logs, stores or shows
   * a callback. Absent means none; the conformance suite checks that every parameter which
   * authenticates a genuine callback is listed.
   */
  readonly secretQueryParams?: readonly string[];

  createPaymentRequest(input: PaymentRequestInput): Promise<PaymentRequest>;

  /** Authenticity from the raw request alone (source IP, signature, URL secret), in constant time. */
  verifyCallback(callback: RawCallback): CallbackVerdict | Promise<CallbackVerdict>;

  /** Strictly parses a verified callback; a malformed one is a 400 verdict, never an exception. */
  parseCallback(callback: RawCallback): CallbackNotification | Extract<CallbackVerdict, { accepted: false }>;

  /** Checks that the callback belongs to the stored invoice it names (nonce, address, coin binding). */
  bindToInvoice(notification: CallbackNotification, invoice: Invoice, callback: RawCallback): CallbackVerdict;

  /** The answer the provider expects for an outcome (status, content type, body). */
  acknowledge(outcome: CallbackOutcome): Acknowledgement;
}
