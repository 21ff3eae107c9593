import { type Invoice } from '@cryptopay/invoice';
import { type Acknowledgement, type CallbackOutcome } from './acknowledgement.js';
import { type ProviderCapabilities } from './capabilities.js';
import { type CallbackNotification } from './notification.js';
import { type PaymentRequest, type PaymentRequestInput } from './payment-request.js';
import { type RawCallback } from './raw-callback.js';
import { type ReconciledPayment } from './reconciliation.js';
import { type CallbackSecrets } from './secrets.js';
import { type CallbackRefusal, type CallbackVerdict } from './verdict.js';

/**
 * The one contract a payment gateway implements. For every callback the core runs one pipeline
 * (provider-kit's `runCallbackPipeline`): `verify` → `parse` → find the invoice → bind (the core's
 * binding policy, `bindToInvoice`, the same for every provider) → idempotency claim → apply →
 * `acknowledge`. The raw callback is read once, by `verify` and `parse`; nothing after them sees it.
 */
export interface ProviderAdapter {
  /** Lower-case name used in routes and keys: `/v1/callbacks/<name>`. */
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  /** Fields of its callbacks that carry secrets, redacted wherever the core logs, stores or shows one. */
  readonly secrets?: CallbackSecrets;

  createPaymentRequest(input: PaymentRequestInput): Promise<PaymentRequest>;

  /** Authenticity from the raw request alone (source IP, signature, URL secret, invoice token), in constant time. */
  verify(callback: RawCallback): CallbackVerdict | Promise<CallbackVerdict>;

  /**
   * Strictly parses a verified callback; a malformed one is a 400 refusal, never an exception. Reads
   * only the method, the target, the `content-type` header and the body, and nothing else (no clock):
   * the same four give the same notification, so the core may answer a byte-identical copy of a
   * callback it already replayed without parsing it again (the conformance suite checks this).
   */
  parse(callback: RawCallback): CallbackNotification | CallbackRefusal;

  /**
   * The per-invoice secret this provider's callbacks must carry for `invoice` (read from what
   * `createPaymentRequest` stored), for adapters whose notifications carry a `nonce`; absent for
   * providers that bind by address or authenticate callbacks wholly in `verify`.
   */
  invoiceNonce?(invoice: Invoice): string | null;

  /** The answer the provider expects for an outcome (status, content type, body). */
  acknowledge(outcome: CallbackOutcome): Acknowledgement;

  /**
   * What the provider knows about `invoice`'s payments, as the callbacks for them would have
   * reported them (declared by `capabilities.reconciliation`). The core applies the result through
   * the same path as callbacks, so a payment reconciled and also delivered counts once. A failed
   * call throws a `ProviderError` (retryable ones are tried again later); it never changes anything.
   */
  reconcile?(invoice: Invoice): Promise<readonly ReconciledPayment[]>;
}
