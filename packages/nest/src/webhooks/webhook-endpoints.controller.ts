import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Patch, Post, Req, UnprocessableEntityException, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { type HttpRequest } from '../http/platform.js';
import { PrincipalGuard } from '../merchants/principal.guard.js';
import { RequireScopes } from '../merchants/request-principal.js';
import { PaymentsErrorsFilter } from '../http/payments-errors.filter.js';
import { StrictJsonBody } from '../http/invoice-body.js';
import { RefusalLogInterceptor } from '../http/refusal-log.interceptor.js';
import { paymentsValidationPipe } from '../http/validation.js';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type ResolvedPaymentsOptions } from '../payments.options.js';
import { type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';
import { checkEndpointUrl, WebhookUrlError } from './endpoint-url.js';
import { callerMerchant } from './merchant-scope.js';
import { WebhookDispatcher } from './webhook-dispatcher.service.js';
import { CreateWebhookEndpointDto, UpdateWebhookEndpointDto } from './webhook-endpoint.dto.js';
import { testEvent } from './webhook-events.js';
import { newWebhookSecret } from './webhook-signature.js';
import { toDeliveryView, toEndpointView, type WebhookDeliveryView, type WebhookEndpointView } from './webhook.views.js';

export const WEBHOOK_ENDPOINTS_PATH = '/v1/webhook-endpoints';
/** How long the secret a rotation replaces keeps signing beside the new one. */
const ROTATION_GRACE_MS = 24 * 3_600_000;

/** The caller's merchant's webhook endpoints (`webhooks:manage`; platform tokens: the `default` merchant's). */
@ApiTags('webhooks')
@ApiBearerAuth()
@UseGuards(PrincipalGuard)
@RequireScopes('webhooks:manage')
@UsePipes(paymentsValidationPipe())
@UseFilters(PaymentsErrorsFilter)
@UseInterceptors(RefusalLogInterceptor, StrictJsonBody)
@Controller('v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(PAYMENTS_MODULE_OPTIONS) private readonly options: ResolvedPaymentsOptions,
    @Inject(WebhookDispatcher) private readonly dispatcher: WebhookDispatcher,
  ) {}

  /** The secret is in this answer and the rotation's only. */
  @Post()
  @HttpCode(201)
  @ApiBody({ type: CreateWebhookEndpointDto })
  async create(@Body() body: CreateWebhookEndpointDto, @Req() req: HttpRequest): Promise<WebhookEndpointView & { readonly secret: string }> {
    const url = await this.checkedUrl(body.url);
    const endpoint = await this.store.webhooks.createEndpoint({
      id: `we_${randomUUID().replaceAll('-', '')}`,
      merchantId: callerMerchant(req),
      url,
      events: body.events ?? null,
      description: body.description ?? null,
      secret: newWebhookSecret(),
    });
    return { ...toEndpointView(endpoint), secret: endpoint.secret };
  }

  @Get()
  async list(@Req() req: HttpRequest): Promise<{ readonly endpoints: WebhookEndpointView[] }> {
    const endpoints = await this.store.webhooks.listEndpoints(callerMerchant(req));
    return { endpoints: endpoints.map(toEndpointView) };
  }

  @Get(':id')
  async findOne(@Param('id') id: string, @Req() req: HttpRequest): Promise<WebhookEndpointView> {
    return toEndpointView(found(await this.store.webhooks.findEndpoint(callerMerchant(req), id), id));
  }

  @Patch(':id')
  @ApiBody({ type: UpdateWebhookEndpointDto })
  async update(@Param('id') id: string, @Body() body: UpdateWebhookEndpointDto, @Req() req: HttpRequest): Promise<WebhookEndpointView> {
    const url = body.url === undefined ? undefined : await this.checkedUrl(body.url);
    const change = { ...body, ...(url === undefined ? {} : { url }) };
    return toEndpointView(found(await this.store.webhooks.updateEndpoint(callerMerchant(req), id, change), id));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Req() req: HttpRequest): Promise<void> {
    if (!(await this.store.webhooks.deleteEndpoint(callerMerchant(req), id))) throw notFound(id);
  }

  /** The previous secret keeps signing beside the new one for 24 h (two signatures in `webhook-signature`). */
  @Post(':id/rotate-secret')
  @HttpCode(200)
  async rotateSecret(@Param('id') id: string, @Req() req: HttpRequest): Promise<{ readonly secret: string }> {
    const endpoint = await this.store.webhooks.rotateSecret(callerMerchant(req), id, newWebhookSecret(), new Date(Date.now() + ROTATION_GRACE_MS));
    return { secret: found(endpoint, id).secret };
  }

  /** Sends a `webhook.test` event to this endpoint only. */
  @Post(':id/test')
  @HttpCode(202)
  async test(@Param('id') id: string, @Req() req: HttpRequest): Promise<WebhookDeliveryView> {
    const delivery = found(await this.store.webhooks.enqueueTest(id, testEvent(callerMerchant(req), id)), id);
    this.dispatcher.wake();
    return toDeliveryView(delivery);
  }

  private async checkedUrl(url: string): Promise<string> {
    try {
      return await checkEndpointUrl(url, this.options.webhooks.allowPrivateNetworks);
    } catch (error) {
      if (error instanceof WebhookUrlError) throw new UnprocessableEntityException({ statusCode: 422, error: 'Unprocessable Entity', message: [error.message] });
      throw error;
    }
  }
}

function found<T>(value: T | null, id: string): T {
  if (value === null) throw notFound(id);
  return value;
}

function notFound(id: string): NotFoundException {
  return new NotFoundException(`webhook endpoint ${id.slice(0, 64)} does not exist`);
}
