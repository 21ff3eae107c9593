/**
 * Where a provider's callbacks carry secrets (a URL secret, a per-invoice nonce or token, a
 * signature-like field): the core redacts their values wherever it logs, stores or shows a callback.
 * Names are case-insensitive. The conformance suite checks that every field which authenticates a
 * genuine callback is declared.
 */
export interface CallbackSecrets {
  /** Query parameters of the callback URL. */
  readonly queryParams?: readonly string[];
  /** Top-level fields of a form (`application/x-www-form-urlencoded`) or JSON body. */
  readonly bodyFields?: readonly string[];
}
