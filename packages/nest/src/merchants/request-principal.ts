import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { DEFAULT_MERCHANT_ID } from '@cryptopay/invoice';
import { API_SCOPES, type ApiScope } from './api-scopes.js';

/**
 * Who a request acts for, as {@link PrincipalGuard} established it from `Authorization: Bearer`:
 * - a platform token (`API_TOKENS`): `kind: 'platform'`, `merchantId: 'default'`, every scope; it
 *   manages merchants and may act for any of them;
 * - a merchant's API key: `kind: 'merchant'`, its merchant, its scopes; it sees only its merchant.
 */
export interface RequestPrincipal {
  readonly kind: 'platform' | 'merchant';
  /** The merchant the request acts as: its own for a merchant key, `default` for a platform token. */
  readonly merchantId: string;
  readonly scopes: readonly ApiScope[];
  /** The API key's id (`ak_…`), null for a platform token. */
  readonly apiKeyId: string | null;
}

/** Keyed by the request object the platform gives guards and routes (Express's or Fastify's). */
const principals = new WeakMap<object, RequestPrincipal>();

export function platformPrincipal(): RequestPrincipal {
  return { kind: 'platform', merchantId: DEFAULT_MERCHANT_ID, scopes: API_SCOPES, apiKeyId: null };
}

/** Set by the guard, once per request. */
export function setPrincipal(req: object, principal: RequestPrincipal): void {
  principals.set(req, principal);
}

/** The principal of a request the guard let through; throws for a route without the guard (a bug). */
export function principalOf(req: object): RequestPrincipal {
  const principal = principals.get(req);
  if (!principal) throw new Error('no request principal: the route is not guarded by PrincipalGuard');
  return principal;
}

/**
 * Whether the principal may see and change what belongs to `merchantId`: a platform token any
 * merchant's, a merchant key only its own. Anything else must answer 404, never 403, so that a
 * foreign id is not confirmed to exist.
 */
export function actsFor(principal: RequestPrincipal, merchantId: string): boolean {
  return principal.kind === 'platform' || principal.merchantId === merchantId;
}

/** The route's handler parameter: `@CurrentPrincipal() principal: RequestPrincipal`. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext) => principalOf(context.switchToHttp().getRequest<object>()));

export const REQUIRED_SCOPES = 'cryptopay:required-scopes';
export const PLATFORM_ONLY = 'cryptopay:platform-only';

/** A merchant key must hold every scope listed (403 naming the missing one); platform tokens hold all. */
export const RequireScopes = (...scopes: ApiScope[]) => SetMetadata(REQUIRED_SCOPES, scopes);

/** Only platform tokens (403 for a merchant key). */
export const PlatformOnly = () => SetMetadata(PLATFORM_ONLY, true);
