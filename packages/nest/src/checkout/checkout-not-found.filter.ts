import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import { type Request, type Response } from 'express';
import { CheckoutInvoiceNotFound } from './checkout-invoices.js';
import { checkoutPageData, pageLanguage } from './checkout-page.js';
import { type ResolvedCheckoutOptions } from './checkout.options.js';
import { CheckoutUrls } from './checkout-urls.js';
import { CHECKOUT_OPTIONS } from './checkout.tokens.js';
import { NOT_FOUND_VIEW } from './checkout-views.js';

/** The page route's unknown or malformed invoice id: a 404 page in the payer's language, not JSON. */
@Catch(CheckoutInvoiceNotFound)
export class CheckoutNotFoundPage implements ExceptionFilter {
  constructor(
    @Inject(CHECKOUT_OPTIONS) private readonly options: ResolvedCheckoutOptions,
    @Inject(CheckoutUrls) private readonly urls: CheckoutUrls,
  ) {}

  async catch(_error: CheckoutInvoiceNotFound, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const data = await checkoutPageData(null, pageLanguage(http.getRequest<Request>()), this.urls.mountedPath(this.options.path), this.options);
    http.getResponse<Response>().status(404).render(NOT_FOUND_VIEW, data);
  }
}
