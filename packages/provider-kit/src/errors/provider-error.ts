/**
 * Why a call to a provider failed, as something a merchant (or an operator) can act on:
 * - `auth`: the API key is wrong, revoked or lacks permission.
 * - `rate-limit`: too many requests; retry after `retryAfterSeconds` if known.
 * - `gap-limit`: the provider will not hand out more addresses (unpaid addresses pile up, or credit ran out).
 * - `unavailable`: network failure, timeout or a 5xx; safe to retry later.
 * - `rejected`: the provider refused this request (unsupported currency, store misconfigured, bad input).
 * - `invalid-response`: the provider answered with something we cannot trust or parse.
 */
export type ProviderErrorKind = 'auth' | 'rate-limit' | 'gap-limit' | 'unavailable' | 'rejected' | 'invalid-response';

export interface ProviderErrorDetails {
  /** The HTTP status the provider answered with, when it answered. */
  readonly httpStatus?: number;
  readonly retryAfterSeconds?: number;
}

/** A typed failure of an outbound provider call. The message never contains a secret. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly httpStatus: number | null;
  readonly retryAfterSeconds: number | null;

  constructor(
    readonly provider: string,
    readonly kind: ProviderErrorKind,
    message: string,
    details: ProviderErrorDetails = {},
  ) {
    super(`${provider}: ${message}`);
    this.httpStatus = details.httpStatus ?? null;
    this.retryAfterSeconds = details.retryAfterSeconds ?? null;
  }

  /** Whether the same request may succeed later without the merchant changing anything. */
  get retryable(): boolean {
    return this.kind === 'rate-limit' || this.kind === 'unavailable';
  }
}

/** The default reading of an HTTP error status; adapters refine it from the provider's body. */
export function providerErrorForStatus(provider: string, status: number, detail: string): ProviderError {
  const details = { httpStatus: status };
  if (status === 401 || status === 403) {
    return new ProviderError(provider, 'auth', `the API key was refused (HTTP ${status}): ${detail}`, details);
  }
  if (status === 429) return new ProviderError(provider, 'rate-limit', `too many requests (HTTP 429): ${detail}`, details);
  if (status >= 500) return new ProviderError(provider, 'unavailable', `the service failed (HTTP ${status}): ${detail}`, details);
  return new ProviderError(provider, 'rejected', `the request was refused (HTTP ${status}): ${detail}`, details);
}
