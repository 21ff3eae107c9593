import { type CoinRegistry } from '@cryptopay/invoice';
import { Controller, HttpCode, Inject, NotFoundException, Param, Post, UnprocessableEntityException, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CheckoutUrls } from '../checkout/checkout-urls.js';
import { PaymentsErrorsFilter } from '../http/payments-errors.filter.js';
import { RefusalLogInterceptor } from '../http/refusal-log.interceptor.js';
import { InvoiceService } from '../invoices/invoice.service.js';
import { PrincipalGuard } from '../merchants/principal.guard.js';
import { actsFor, CurrentPrincipal, type RequestPrincipal, RequireScopes } from '../merchants/request-principal.js';
import { toInvoiceView } from '../invoices/invoice.view.js';
import { COIN_REGISTRY } from '../tokens.js';
import { InvoiceReconciliation, ReconciliationUnsupportedError } from './invoice-reconciliation.service.js';
import { ReconciliationView } from './reconciliation.view.js';

/**
 * `POST /v1/invoices/:id/reconcile`: asks the invoice's provider now what it recorded and applies it
 * as its callbacks would have been. No body. Its own controller, so the invoice API's JSON body
 * parser (which requires a JSON body on POST) does not apply.
 */
@ApiTags('invoices')
@ApiBearerAuth()
@UseGuards(PrincipalGuard)
@UseFilters(PaymentsErrorsFilter)
@UseInterceptors(RefusalLogInterceptor)
@Controller('v1/invoices')
export class ReconciliationController {
  constructor(
    @Inject(InvoiceService) private readonly invoices: InvoiceService,
    @Inject(InvoiceReconciliation) private readonly reconciliation: InvoiceReconciliation,
    @Inject(COIN_REGISTRY) private readonly coins: CoinRegistry,
    @Inject(CheckoutUrls) private readonly checkoutUrls: CheckoutUrls,
  ) {}

  @Post(':id/reconcile')
  @HttpCode(200)
  @ApiOkResponse({ type: ReconciliationView })
  @RequireScopes('invoices:write')
  async reconcile(@Param('id') id: string, @CurrentPrincipal() principal: RequestPrincipal): Promise<ReconciliationView> {
    const invoice = await this.invoices.findById(id);
    // Another merchant's invoice is answered as one that does not exist.
    if (!invoice || !actsFor(principal, invoice.merchantId)) throw new NotFoundException(`invoice ${id.slice(0, 64)} does not exist`);
    const unsupported = new UnprocessableEntityException(`provider "${invoice.provider}" cannot reconcile: it offers no way to read what it recorded for an invoice`);
    if (!this.reconciliation.canReconcile(invoice)) throw unsupported;
    const result = await this.reconciliation.reconcile(invoice).catch((error: unknown) => {
      throw error instanceof ReconciliationUnsupportedError ? unsupported : error;
    });
    const stored = { ...result.invoice, minimumPayment: invoice.minimumPayment, redirectUrl: invoice.redirectUrl, merchantId: invoice.merchantId, providerAccountId: invoice.providerAccountId };
    const view = toInvoiceView(stored, this.coins, this.checkoutUrls.forInvoice(invoice.id));
    return { invoice: view, changed: result.changed, observed: result.observed };
  }
}
