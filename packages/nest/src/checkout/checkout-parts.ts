import { type Provider, type Type } from '@nestjs/common';
import { CheckoutHeaders } from './checkout-headers.interceptor.js';
import { CheckoutInvoices } from './checkout-invoices.js';
import { CheckoutThrottlerGuard, CHECKOUT_THROTTLER_STORAGE, checkoutThrottlerStorage } from './checkout-throttler.guard.js';
import { CheckoutUrls } from './checkout-urls.js';
import { CheckoutViews } from './checkout-views.js';
import { CheckoutWatch } from './checkout-watch.js';
import { type CheckoutOptions, resolveCheckoutOptions } from './checkout.options.js';
import { checkoutControllerAt } from './checkout.controller.js';
import { CHECKOUT_OPTIONS } from './checkout.tokens.js';

/**
 * What the checkout adds to `PaymentsModule`: always its options (null when off) and the invoice's
 * `checkoutUrl`; when on, its controller and services. Decided when the module is defined, since the
 * routes and their path depend on it; a wrong option stops the app there.
 */
export function checkoutParts(options: CheckoutOptions | undefined): { controllers: Type<unknown>[]; providers: Provider[] } {
  const resolved = resolveCheckoutOptions(options);
  const always: Provider[] = [{ provide: CHECKOUT_OPTIONS, useValue: resolved }, CheckoutUrls];
  if (resolved === null) return { controllers: [], providers: always };
  return {
    controllers: [checkoutControllerAt(resolved.path)],
    providers: [
      ...always,
      { provide: CHECKOUT_THROTTLER_STORAGE, useFactory: checkoutThrottlerStorage },
      CheckoutThrottlerGuard,
      CheckoutHeaders,
      CheckoutInvoices,
      CheckoutWatch,
      CheckoutViews,
    ],
  };
}
