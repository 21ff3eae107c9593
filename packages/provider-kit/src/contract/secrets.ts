import { type Secret } from '../redaction/secret.js';

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
  /**
   * The configured secret values themselves (an API key, a callback secret): removed — raw,
   * URL-encoded or base64 — from every target, header and body the core logs or stores, whatever
   * parameter or field carries them (`?secret[]=<secret>` is no declared name).
   */
  readonly values?: readonly Secret[];
}
