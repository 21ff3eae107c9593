import { hash } from 'node:crypto';
import { type CoinRegistry, DEFAULT_MERCHANT_ID, type InvoiceIdempotencyKey, type StoredInvoice } from '@cryptopay/invoice';
import { fingerprintOfRequest, IDEMPOTENCY_KEY_HEADER, Idempotent, idempotencyKeyHeader } from '@cryptopay/idempotency';
import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, Req, Res, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { PrincipalGuard } from '../merchants/principal.guard.js';
import { actsFor, CurrentPrincipal, principalOf, type RequestPrincipal, RequireScopes } from '../merchants/request-principal.js';
import { paymentsValidationPipe } from '../http/validation.js';
import { CheckoutUrls } from '../checkout/checkout-urls.js';
import { COIN_REGISTRY } from '../tokens.js';
import { CreateInvoiceDto } from './create-invoice.dto.js';
import { PaymentsErrorsFilter } from '../http/payments-errors.filter.js';
import { StrictJsonBody } from '../http/invoice-body.js';
import { type HttpRequest, type HttpResponse } from '../http/platform.js';
import { RefusalLogInterceptor } from '../http/refusal-log.interceptor.js';
import { InvoiceService } from './invoice.service.js';
import { toInvoiceView, InvoiceView } from './invoice.view.js';
import { IsStorableText } from '../http/text-rules.js';

/**
 * `Idempotency-Key`s are scoped per merchant: keys of different merchants never meet. A merchant key's
 * scope is its merchant; a platform token's, its body's merchant, except for the default merchant,
 * whose keys stay scoped to the token as before merchants existed (so a key retried across an upgrade
 * still finds its invoice). The token itself never reaches the key store.
 */
function callerOf(req: HttpRequest): string {
  const principal = principalOf(req);
  const named = (req.body as { merchantId?: unknown } | undefined)?.merchantId;
  const merchantId = principal.kind === 'platform' && typeof named === 'string' ? named : principal.merchantId;
  if (principal.kind === 'platform' && merchantId === DEFAULT_MERCHANT_ID) return hash('sha256', req.headers.authorization ?? '', 'hex').slice(0, 32);
  return `merchant:${merchantId}`;
}

/** The request's `Idempotency-Key` (already checked by the interceptor) as the invoice stores it, with the same fingerprint as Redis. */
function invoiceKeyOf(req: HttpRequest): InvoiceIdempotencyKey | undefined {
  const key = req.headers[IDEMPOTENCY_KEY_HEADER];
  return typeof key === 'string' ? { caller: callerOf(req), key, fingerprint: fingerprintOfRequest(req) } : undefined;
}

export class FindInvoicesQuery {
  @ApiProperty({ example: 'order-1001' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  @IsStorableText()
  readonly orderId!: string;
}

/** The merchant a new invoice is for: a merchant key's own (naming another is a 404); a platform token's choice, `default` unless named. */
function merchantOf(principal: RequestPrincipal, named: string | undefined): string {
  if (named === undefined) return principal.merchantId;
  if (!actsFor(principal, named)) throw new NotFoundException(`merchant ${named} does not exist`);
  return named;
}

@ApiTags('invoices')
@ApiBearerAuth()
@UseGuards(PrincipalGuard)
@UsePipes(paymentsValidationPipe())
@UseFilters(PaymentsErrorsFilter)
@UseInterceptors(RefusalLogInterceptor, StrictJsonBody)
@Controller('v1/invoices')
export class InvoicesController {
  constructor(
    @Inject(InvoiceService) private readonly invoices: InvoiceService,
    @Inject(COIN_REGISTRY) private readonly coins: CoinRegistry,
    @Inject(CheckoutUrls) private readonly checkoutUrls: CheckoutUrls,
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
  ) {}

  private view(invoice: StoredInvoice): InvoiceView {
    return toInvoiceView(invoice, this.coins, this.checkoutUrls.forInvoice(invoice.id));
  }

  @Post()
  @HttpCode(201)
  @RequireScopes('invoices:write')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key → same invoice; the provider is called once. The key is stored with the invoice, so it holds for good (a replay answers with `Idempotent-Replayed: true`); the same key with another body is a 422.',
  })
  @ApiBody({ type: CreateInvoiceDto })
  @ApiCreatedResponse({ type: InvoiceView })
  @Idempotent<HttpRequest>({ key: idempotencyKeyHeader<HttpRequest>({ caller: callerOf }) })
  async create(
    @Body() body: CreateInvoiceDto,
    @CurrentPrincipal() principal: RequestPrincipal,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<InvoiceView> {
    const created = await this.invoices.create(body, invoiceKeyOf(req), merchantOf(principal, body.merchantId));
    // As the Redis path marks its replays: this one answers from the invoice the key created.
    if (created.replayed) this.host.httpAdapter.setHeader(res, 'Idempotent-Replayed', 'true');
    return this.view(created.invoice);
  }

  @Get(':id')
  @RequireScopes('invoices:read')
  @ApiOkResponse({ type: InvoiceView })
  async findOne(@Param('id') id: string, @CurrentPrincipal() principal: RequestPrincipal): Promise<InvoiceView> {
    const invoice = await this.invoices.findById(id);
    // Another merchant's invoice is answered as one that does not exist.
    if (!invoice || !actsFor(principal, invoice.merchantId)) throw new NotFoundException(`invoice ${id.slice(0, 64)} does not exist`);
    return this.view(invoice);
  }

  @Get()
  @RequireScopes('invoices:read')
  @ApiOkResponse({ type: [InvoiceView] })
  async findByOrder(@Query() query: FindInvoicesQuery, @CurrentPrincipal() principal: RequestPrincipal): Promise<InvoiceView[]> {
    const invoices = await this.invoices.findByOrderId(query.orderId);
    return invoices.filter((invoice) => actsFor(principal, invoice.merchantId)).map((invoice) => this.view(invoice));
  }
}
