import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type HttpRequest, type HttpResponse } from '../http/platform.js';
import { CheckoutInvoiceNotFound } from './checkout-invoices.js';
import { checkoutPageData, pageLanguage } from './checkout-page.js';
import { type ResolvedCheckoutOptions } from './checkout.options.js';
import { CheckoutUrls } from './checkout-urls.js';
import { CHECKOUT_OPTIONS } from './checkout.tokens.js';
import { CheckoutViews, HTML } from './checkout-views.js';

/** The page route's unknown or malformed invoice id: a 404 page in the payer's language, not JSON. */
@Catch(CheckoutInvoiceNotFound)
export class CheckoutNotFoundPage implements ExceptionFilter {
  constructor(
    @Inject(CHECKOUT_OPTIONS) private readonly options: ResolvedCheckoutOptions,
    @Inject(CheckoutUrls) private readonly urls: CheckoutUrls,
    @Inject(CheckoutViews) private readonly views: CheckoutViews,
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
  ) {}

  async catch(_error: CheckoutInvoiceNotFound, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const data = await checkoutPageData(null, pageLanguage(http.getRequest<HttpRequest>()), this.urls.mountedPath(this.options.path), this.options);
    const res = http.getResponse<HttpResponse>();
    this.host.httpAdapter.setHeader(res, 'Content-Type', HTML);
    this.host.httpAdapter.reply(res, this.views.notFound(data), 404);
  }
}
