import { Controller, Get, Header, Inject, type MessageEvent, Param, Req, Sse, type Type, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { CheckoutHeaders, StaticFile } from './checkout-headers.interceptor.js';
import { CheckoutInvoices } from './checkout-invoices.js';
import { CheckoutNotFoundPage } from './checkout-not-found.filter.js';
import { type HttpRequest } from '../http/platform.js';
import { checkoutPageData, pageLanguage } from './checkout-page.js';
import { type CheckoutStatus } from './checkout-status.js';
import { CheckoutThrottlerGuard } from './checkout-throttler.guard.js';
import { CheckoutUrls } from './checkout-urls.js';
import { CheckoutWatch } from './checkout-watch.js';
import { type ResolvedCheckoutOptions } from './checkout.options.js';
import { CHECKOUT_OPTIONS } from './checkout.tokens.js';
import { CHECKOUT_ASSETS, CheckoutViews, HTML } from './checkout-views.js';

/**
 * The payer's checkout, mounted at `path`: the page, its status as JSON and as server-sent events,
 * and the page's static files. Public (an invoice id is an unguessable UUID), rate-limited per client,
 * read-only. Made per app because the path is an option.
 */
export function checkoutControllerAt(path: string): Type<unknown> {
  @ApiExcludeController()
  @UseGuards(CheckoutThrottlerGuard)
  @UseInterceptors(CheckoutHeaders)
  @Controller(path)
  class CheckoutController {
    constructor(
      @Inject(CheckoutInvoices) private readonly invoices: CheckoutInvoices,
      @Inject(CheckoutWatch) private readonly watch: CheckoutWatch,
      @Inject(CHECKOUT_OPTIONS) private readonly options: ResolvedCheckoutOptions,
      @Inject(CheckoutUrls) private readonly urls: CheckoutUrls,
      @Inject(CheckoutViews) private readonly views: CheckoutViews,
    ) {}

    // The files first: Express matches in order, and `assets` would otherwise be taken for an invoice id
    // (Fastify prefers the static path by itself).
    @Get('assets/checkout.css')
    @Header('Content-Type', 'text/css; charset=utf-8')
    @StaticFile()
    stylesheet(): string {
      return CHECKOUT_ASSETS.css;
    }

    /** The brand's accent colour: in a file, since the policy allows no inline style. */
    @Get('assets/theme.css')
    @Header('Content-Type', 'text/css; charset=utf-8')
    @StaticFile()
    theme(): string {
      return `:root { --accent: ${this.options.branding.accentColor}; }\n`;
    }

    @Get('assets/checkout.js')
    @Header('Content-Type', 'text/javascript; charset=utf-8')
    @StaticFile()
    script(): string {
      return CHECKOUT_ASSETS.js;
    }

    @Get(':invoiceId')
    @UseFilters(CheckoutNotFoundPage)
    @Header('Content-Type', HTML)
    async page(@Param('invoiceId') id: string, @Req() req: HttpRequest): Promise<string> {
      return this.views.page(await checkoutPageData(await this.invoices.model(id), pageLanguage(req), this.urls.mountedPath(this.options.path), this.options));
    }

    @Get(':invoiceId/status')
    status(@Param('invoiceId') id: string): Promise<CheckoutStatus> {
      return this.invoices.status(id);
    }

    /** Every change of the status, as `data:` JSON with the status shape; the first event is the current status. */
    @Sse(':invoiceId/events')
    @Header('X-Accel-Buffering', 'no') // nginx would otherwise hold the events back
    async events(@Param('invoiceId') id: string): Promise<Observable<MessageEvent>> {
      await this.invoices.status(id); // an unknown id is a 404, not an empty stream
      return this.watch.watch(id).pipe(map((status) => ({ type: 'status', data: status })));
    }
  }
  return CheckoutController;
}
