import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { type Observable } from 'rxjs';
import { type ResolvedCheckoutOptions } from './checkout.options.js';
import { CHECKOUT_OPTIONS } from './checkout.tokens.js';

/**
 * The page's security headers, on every checkout answer (errors included): a strict
 * Content-Security-Policy — scripts and styles only from the module's own files, no inline ones, images
 * from itself and the brand's logo origin — no framing, no referrer (the URL holds the invoice id),
 * and nothing cached (the status changes; static files set their own caching).
 */
@Injectable()
export class CheckoutHeaders implements NestInterceptor {
  private readonly headers: Readonly<Record<string, string>>;

  constructor(
    @Inject(CHECKOUT_OPTIONS) options: ResolvedCheckoutOptions,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
  ) {
    this.headers = checkoutSecurityHeaders(options);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res: unknown = context.switchToHttp().getResponse();
    const adapter = this.host.httpAdapter;
    for (const [name, value] of Object.entries(this.headers)) adapter.setHeader(res, name, value);
    adapter.setHeader(res, 'Cache-Control', this.reflector.get<boolean>(STATIC_FILE, context.getHandler()) ? STATIC_CACHING : 'no-store');
    return next.handle();
  }
}

const STATIC_FILE = 'cryptopay:checkout-static-file';
const STATIC_CACHING = 'public, max-age=300';

/** The page's own files (the same for every invoice): cached for a while, unlike everything else. */
export const StaticFile = (): MethodDecorator => SetMetadata(STATIC_FILE, true);

export function checkoutSecurityHeaders(options: ResolvedCheckoutOptions): Record<string, string> {
  const logo = options.branding.logoUrl === null ? '' : ` ${new URL(options.branding.logoUrl).origin}`;
  const policy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self'${logo}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  };
}
