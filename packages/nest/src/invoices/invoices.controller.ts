import { createHash } from 'node:crypto';
import { type CoinRegistry } from '@cryptopay/invoice';
import { Idempotent, idempotencyKeyHeader } from '@cryptopay/idempotency';
import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { type Request } from 'express';
import { ApiTokenGuard } from '../auth/api-token.guard.js';
import { paymentsValidationPipe } from '../http/validation.js';
import { COIN_REGISTRY } from '../tokens.js';
import { CreateInvoiceDto } from './create-invoice.dto.js';
import { PaymentsErrorsFilter } from '../http/payments-errors.filter.js';
import { RefusalLogInterceptor } from '../http/refusal-log.interceptor.js';
import { InvoiceService } from './invoice.service.js';
import { toInvoiceView, InvoiceView } from './invoice.view.js';
import { IsStorableText } from '../http/text-rules.js';

/** Keys of different API callers never meet; the token itself never reaches the key store. */
function callerOf(req: Request): string {
  return createHash('sha256').update(req.headers.authorization ?? '').digest('hex').slice(0, 32);
}

export class FindInvoicesQuery {
  @ApiProperty({ example: 'order-1001' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  @IsStorableText()
  readonly orderId!: string;
}

@ApiTags('invoices')
@ApiBearerAuth()
@UseGuards(ApiTokenGuard)
@UsePipes(paymentsValidationPipe())
@UseFilters(PaymentsErrorsFilter)
@UseInterceptors(RefusalLogInterceptor)
@Controller('v1/invoices')
export class InvoicesController {
  constructor(
    @Inject(InvoiceService) private readonly invoices: InvoiceService,
    @Inject(COIN_REGISTRY) private readonly coins: CoinRegistry,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key → same invoice; the provider is called once.' })
  @ApiBody({ type: CreateInvoiceDto })
  @ApiCreatedResponse({ type: InvoiceView })
  @Idempotent<Request>({ key: idempotencyKeyHeader<Request>({ caller: callerOf }) })
  async create(@Body() body: CreateInvoiceDto): Promise<InvoiceView> {
    return toInvoiceView(await this.invoices.create(body), this.coins);
  }

  @Get(':id')
  @ApiOkResponse({ type: InvoiceView })
  async findOne(@Param('id') id: string): Promise<InvoiceView> {
    const invoice = await this.invoices.findById(id);
    if (!invoice) throw new NotFoundException(`invoice ${id.slice(0, 64)} does not exist`);
    return toInvoiceView(invoice, this.coins);
  }

  @Get()
  @ApiOkResponse({ type: [InvoiceView] })
  async findByOrder(@Query() query: FindInvoicesQuery): Promise<InvoiceView[]> {
    const invoices = await this.invoices.findByOrderId(query.orderId);
    return invoices.map((invoice) => toInvoiceView(invoice, this.coins));
  }
}
