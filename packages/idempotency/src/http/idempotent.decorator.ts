import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import type { IdempotentRequest } from './idempotent-request.js';
import { IDEMPOTENT_ROUTE, type IdempotentRouteOptions } from './idempotent-route.js';

/**
 * Runs the route at most once per key, e.g.
 * `@Idempotent({ key: idempotencyKeyHeader({ caller: (req) => req.apiClient.id }) })`.
 * The route must return a JSON-serializable value; a thrown error releases the key.
 */
export function Idempotent<TRequest extends IdempotentRequest = IdempotentRequest>(
  options: IdempotentRouteOptions<TRequest>,
): MethodDecorator {
  return applyDecorators(SetMetadata(IDEMPOTENT_ROUTE, options), UseInterceptors(IdempotencyInterceptor));
}
