/** What happened to a callback, from which the adapter builds the answer its provider expects. */
export type CallbackOutcome =
  /** Its effect is durably stored (or it changed nothing because it was already known). */
  | { readonly kind: 'applied' }
  /** The same delivery was already applied earlier. */
  | { readonly kind: 'duplicate' }
  /** Authentic, but for no invoice of ours (e.g. a dashboard test callback for a random address). */
  | { readonly kind: 'unmatched' }
  /** Not authentic, malformed, or not bound to the invoice it names. */
  | { readonly kind: 'rejected'; readonly status: 400 | 401 | 403; readonly reason: string }
  /** We could not record it now (store or idempotency guard down, concurrent delivery): retry later. */
  | { readonly kind: 'retry-later'; readonly status: 409 | 503; readonly reason: string };

export interface Acknowledgement {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}
