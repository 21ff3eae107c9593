import { type ReconciliationSource } from './reconciliation.js';

export type CallbackMethod = 'GET' | 'POST';

/**
 * How callbacks prove they come from the provider: a secret in the callback URL; an RSA or HMAC
 * signature over the request; or a per-invoice token derived from the invoice id with an HMAC
 * (`InvoiceTokens`), checked in `verify` without a lookup.
 */
export type SignatureScheme = 'url-secret' | 'rsa-sha256' | 'hmac-sha256' | 'invoice-token';

/** What an adapter supports; checked when the app starts (see `assertCapabilities`). */
export interface ProviderCapabilities {
  /** Our coin codes (see the invoice package's CoinRegistry) this adapter can invoice in. */
  readonly coins: readonly string[];
  readonly callbackMethods: readonly CallbackMethod[];
  /** Whether the provider notifies unconfirmed (mempool) payments, not only confirmed ones. */
  readonly pendingNotifications: boolean;
  readonly signatureScheme: SignatureScheme;
  /** Where `reconcile` reads the provider's records from; absent when the adapter cannot reconcile. */
  readonly reconciliation?: ReconciliationSource;
  /**
   * How long the provider retries an unacknowledged callback, from its first attempt, in
   * milliseconds (at most 30 days). The core remembers a delivery's answer that long plus a margin;
   * absent: the idempotency module's `resultTtlMs`.
   */
  readonly callbackRetryWindowMs?: number;
}

/** The longest retry window an adapter may declare: a longer one would keep keys for no retry. */
export const MAX_CALLBACK_RETRY_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
