export type CallbackMethod = 'GET' | 'POST';

/** What an adapter supports; checked when the app starts (see `assertCapabilities`). */
export interface ProviderCapabilities {
  /** Our coin codes (see the invoice package's CoinRegistry) this adapter can invoice in. */
  readonly coins: readonly string[];
  readonly callbackMethods: readonly CallbackMethod[];
  /** Whether the provider notifies unconfirmed (mempool) payments, not only confirmed ones. */
  readonly pendingNotifications: boolean;
  /** How callbacks prove they come from the provider. */
  readonly signatureScheme: 'url-secret' | 'rsa-sha256' | 'hmac-sha256';
}
