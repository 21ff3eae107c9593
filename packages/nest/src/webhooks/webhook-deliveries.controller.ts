import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, Req, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageCursor, PageLimit } from '../http/page-query.js';
import { IsStorableText } from '../http/text-rules.js';
import { type WebhookDeliveryStatus } from './webhook-store.port.js';
import { type HttpRequest } from '../http/platform.js';
import { PrincipalGuard } from '../merchants/principal.guard.js';
import { RequireScopes } from '../merchants/request-principal.js';
import { PaymentsErrorsFilter } from '../http/payments-errors.filter.js';
import { RefusalLogInterceptor } from '../http/refusal-log.interceptor.js';
import { paymentsValidationPipe } from '../http/validation.js';
import { type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';
import { callerMerchant } from './merchant-scope.js';
import { WebhookDispatcher } from './webhook-dispatcher.service.js';
import { toDeliveryView, type WebhookDeliveryView } from './webhook.views.js';

const STATUSES: WebhookDeliveryStatus[] = ['pending', 'delivered', 'failed'];
/** The largest page the API serves. */
export const MAX_WEBHOOK_DELIVERY_PAGE = 500;

export class WebhookDeliveriesQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @IsStorableText()
  readonly endpointId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @IsStorableText()
  readonly invoiceId?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  readonly status?: WebhookDeliveryStatus;

  @PageCursor()
  readonly before?: string;

  @PageLimit(MAX_WEBHOOK_DELIVERY_PAGE)
  readonly limit?: number;
}

/** The outbound deliveries of the caller's merchant, newest first, and their redelivery. */
@ApiTags('webhooks')
@ApiBearerAuth()
@UseGuards(PrincipalGuard)
@RequireScopes('webhooks:manage')
@UsePipes(paymentsValidationPipe())
@UseFilters(PaymentsErrorsFilter)
@UseInterceptors(RefusalLogInterceptor)
@Controller('v1/webhook-deliveries')
export class WebhookDeliveriesController {
  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(WebhookDispatcher) private readonly dispatcher: WebhookDispatcher,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Newest first; pass `nextCursor` as `before` for the next page.' })
  async list(@Query() query: WebhookDeliveriesQuery, @Req() req: HttpRequest): Promise<{ readonly deliveries: WebhookDeliveryView[]; readonly nextCursor: string | null }> {
    const page = await this.store.webhooks.deliveries({ ...query, merchantId: callerMerchant(req), limit: query.limit ?? 50 });
    return { deliveries: page.deliveries.map(toDeliveryView), nextCursor: page.nextCursor };
  }

  /** A new attempt, now, with the same `webhook-id`, whatever the delivery's status. */
  @Post(':id/redeliver')
  @HttpCode(202)
  async redeliver(@Param('id') id: string, @Req() req: HttpRequest): Promise<WebhookDeliveryView> {
    const delivery = await this.store.webhooks.redeliver(callerMerchant(req), id);
    if (!delivery) throw new NotFoundException(`webhook delivery ${id.slice(0, 64)} does not exist`);
    this.dispatcher.wake();
    return toDeliveryView(delivery);
  }
}
