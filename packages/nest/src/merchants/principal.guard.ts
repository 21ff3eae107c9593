import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Secret } from '@cryptopay/provider-kit';
import { type IncomingMessage } from 'node:http';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type PaymentsModuleOptions } from '../payments.options.js';
import { type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';
import { apiKeyMatches, parseApiKey } from './api-key-secret.js';
import { type ApiScope, isApiScope } from './api-scopes.js';
import { MerchantKeys } from './merchant-keys.js';
import { PLATFORM_ONLY, platformPrincipal, REQUIRED_SCOPES, type RequestPrincipal, setPrincipal } from './request-principal.js';

const BEARER = /^Bearer ([^\s]+)$/;
const INVALID_TOKEN = 'the API token is not valid';
const INVALID_KEY = 'the API key is not valid';

/**
 * `Authorization: Bearer <token or key>` → the request's {@link RequestPrincipal}: a platform token
 * (`API_TOKENS`, compared in constant time) or a merchant's API key (`cpk_<id>_<secret>`, looked up by
 * its id on every request, so a revocation holds at once on every instance, and its keyed hash
 * compared in constant time). Then the route's `@PlatformOnly()` and `@RequireScopes()` are enforced.
 * Read the principal with `@CurrentPrincipal()` or `principalOf(req)`.
 */
@Injectable()
export class PrincipalGuard implements CanActivate {
  private readonly tokens: readonly Secret[];

  constructor(
    @Inject(PAYMENTS_MODULE_OPTIONS) options: PaymentsModuleOptions,
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(MerchantKeys) private readonly keys: MerchantKeys,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {
    this.tokens = options.apiTokens.map((token) => new Secret(token));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<IncomingMessage>();
    const header = req.headers.authorization;
    const token = header ? BEARER.exec(header)?.[1] : undefined;
    if (!token) throw new UnauthorizedException('missing "Authorization: Bearer <token or key>" header');
    const principal = await this.authenticate(token);
    this.authorize(context, principal);
    setPrincipal(req, principal);
    return true;
  }

  private async authenticate(token: string): Promise<RequestPrincipal> {
    // Every token is compared, so the time taken does not tell which one (or whether any) matched.
    const matches = this.tokens.map((known) => known.matches(token));
    if (matches.includes(true)) return platformPrincipal();
    const parsed = parseApiKey(token);
    if (!parsed) throw new UnauthorizedException(INVALID_TOKEN);
    const found = await this.store.merchants.findApiKey(parsed.keyId);
    if (!found || found.dataKey === null) throw new UnauthorizedException(INVALID_KEY);
    const { key, dataKey } = found;
    if (!apiKeyMatches(this.keys.unwrap(key.merchantId, dataKey), parsed, key.secretHash)) throw new UnauthorizedException(INVALID_KEY);
    if (key.revokedAt !== null) throw new UnauthorizedException(`API key ${key.id} was revoked`);
    return { kind: 'merchant', merchantId: key.merchantId, scopes: key.scopes.filter(isApiScope), apiKeyId: key.id };
  }

  private authorize(context: ExecutionContext, principal: RequestPrincipal): void {
    if (principal.kind === 'platform') return;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PLATFORM_ONLY, targets)) throw new ForbiddenException('this route is for platform tokens (API_TOKENS), not merchant API keys');
    const required = this.reflector.getAllAndOverride<ApiScope[]>(REQUIRED_SCOPES, targets) ?? [];
    const missing = required.filter((scope) => !principal.scopes.includes(scope));
    if (missing.length > 0) throw new ForbiddenException(`this API key lacks the scope ${missing.join(', ')}`);
  }
}
