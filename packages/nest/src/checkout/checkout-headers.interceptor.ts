import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { type Response } from 'express';
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

  constructor(@Inject(CHECKOUT_OPTIONS) options: ResolvedCheckoutOptions) {
    this.headers = checkoutSecurityHeaders(options);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<Response>();
    for (const [name, value] of Object.entries(this.headers)) res.setHeader(name, value);
    return next.handle();
  }
}

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
    'Cache-Control': 'no-store',
  };
}
