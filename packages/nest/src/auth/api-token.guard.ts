import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Secret } from '@cryptopay/provider-kit';
import { type HttpRequest } from '../http/platform.js';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type PaymentsModuleOptions } from '../payments.options.js';

const BEARER = /^Bearer ([^\s]+)$/;

/** `Authorization: Bearer <token>` against the configured tokens, each compared in constant time. */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  private readonly tokens: readonly Secret[];

  constructor(@Inject(PAYMENTS_MODULE_OPTIONS) options: PaymentsModuleOptions) {
    this.tokens = options.apiTokens.map((token) => new Secret(token));
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<HttpRequest>().headers.authorization;
    const token = header ? BEARER.exec(header)?.[1] : undefined;
    if (!token) throw new UnauthorizedException('missing "Authorization: Bearer <token>" header');
    // Every token is compared, so the time taken does not tell which one (or whether any) matched.
    const matches = this.tokens.map((known) => known.matches(token));
    if (!matches.includes(true)) throw new UnauthorizedException('the API token is not valid');
    return true;
  }
}
