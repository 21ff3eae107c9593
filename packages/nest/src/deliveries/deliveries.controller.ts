import { Controller, Get, Inject, Query, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PrincipalGuard } from '../merchants/principal.guard.js';
import { CurrentPrincipal, type RequestPrincipal, RequireScopes } from '../merchants/request-principal.js';
import { DeliveryLogWriter } from '../callbacks/delivery-log-writer.js';
import { PageCursor, PageLimit } from '../http/page-query.js';
import { PaymentsErrorsFilter } from '../http/payments-errors.filter.js';
import { IsStorableText } from '../http/text-rules.js';
import { paymentsValidationPipe } from '../http/validation.js';
import { type DeliveryPage, type DeliveryVerdict, type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';

const VERDICTS: DeliveryVerdict[] = ['applied', 'duplicate', 'unmatched', 'rejected', 'retry-later'];
/** The largest page the API serves. */
export const MAX_DELIVERY_PAGE = 500;

export class DeliveriesQuery {
  @ApiPropertyOptional({ example: 'blockbee' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  @IsStorableText()
  readonly provider?: string;

  @ApiPropertyOptional({ enum: VERDICTS })
  @IsOptional()
  @IsIn(VERDICTS)
  readonly verdict?: DeliveryVerdict;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @IsStorableText()
  readonly invoiceId?: string;

  @PageCursor()
  readonly before?: string;

  @PageLimit(MAX_DELIVERY_PAGE)
  readonly limit?: number;
}

/** `GET /v1/deliveries`: every inbound callback, newest first, for troubleshooting ("Merchant > Logs"). */
@ApiTags('deliveries')
@ApiBearerAuth()
@UseGuards(PrincipalGuard)
@RequireScopes('invoices:read')
@UsePipes(paymentsValidationPipe())
@UseFilters(PaymentsErrorsFilter)
@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(DeliveryLogWriter) private readonly writer: DeliveryLogWriter,
  ) {}

  /** Writes this instance's queued entries first, so the list holds every callback it has logged (duplicates: one per delivery per interval). */
  @Get()
  async list(@Query() query: DeliveriesQuery, @CurrentPrincipal() principal: RequestPrincipal): Promise<DeliveryPage> {
    await this.writer.flush();
    // A merchant key sees the deliveries for its own invoices only; a platform token sees every one.
    const merchant = principal.kind === 'merchant' ? { merchantId: principal.merchantId } : {};
    return this.store.deliveries.list({ ...query, ...merchant, limit: query.limit ?? 50 });
  }
}
