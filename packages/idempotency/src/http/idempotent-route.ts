import type { FingerprintExtractor, IdempotencyKeyExtractor, IdempotentRequest } from './idempotent-request.js';

export const IDEMPOTENT_ROUTE = Symbol('IDEMPOTENT_ROUTE');

export interface IdempotentRouteOptions<TRequest extends IdempotentRequest = IdempotentRequest> {
  key: IdempotencyKeyExtractor<TRequest>;
  /** Defaults to method + URL + canonical JSON body. */
  fingerprint?: FingerprintExtractor<TRequest>;
}
