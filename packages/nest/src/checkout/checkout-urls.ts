import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { mountedPaths } from '../http/route-bodies.js';
import { PAYMENTS_MODULE_OPTIONS } from '../tokens.js';
import { type PaymentsModuleOptions } from '../payments.options.js';
import { type ResolvedCheckoutOptions } from './checkout.options.js';
import { CHECKOUT_OPTIONS } from './checkout.tokens.js';

const INVOICE_PARAM = '/:invoiceId';

/** An invoice's `checkoutUrl`: the public URL and the page's path as the app mounted it (global prefix included). */
@Injectable()
export class CheckoutUrls {
  private mounted: string | null = null;

  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(PAYMENTS_MODULE_OPTIONS) private readonly payments: PaymentsModuleOptions,
    @Inject(CHECKOUT_OPTIONS) private readonly checkout: ResolvedCheckoutOptions | null,
  ) {}

  /** Null when the checkout is off. */
  forInvoice(invoiceId: string): string | null {
    if (this.checkout === null) return null;
    return `${this.payments.publicUrl.replace(/\/+$/, '')}${this.mountedPath(this.checkout.path)}/${invoiceId}`;
  }

  /** `/checkout`, or with the app's global prefix `/api/checkout`. */
  mountedPath(path: string): string {
    if (this.mounted !== null) return this.mounted;
    const route = mountedPaths(this.host, `/${path}${INVOICE_PARAM}`)[0];
    if (route === undefined) return `/${path}`;
    this.mounted = route.slice(0, -INVOICE_PARAM.length);
    return this.mounted;
  }
}
