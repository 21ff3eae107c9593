import { Body, Controller, Delete, Get, HttpCode, Inject, Logger, NotFoundException, Param, Post, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PaymentsErrorsFilter } from '../http/payments-errors.filter.js';
import { RefusalLogInterceptor } from '../http/refusal-log.interceptor.js';
import { paymentsValidationPipe } from '../http/validation.js';
import { type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';
import { apiKeyHash, formatApiKey } from './api-key-secret.js';
import { API_SCOPES, type ApiScope, isApiScope } from './api-scopes.js';
import { newId } from './identifiers.js';
import { MerchantKeys } from './merchant-keys.js';
import { type ApiKeyRecord, type MerchantRecord } from './merchant-store.js';
import { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView, CreateMerchantDto, MerchantView } from './merchant.dto.js';
import { PrincipalGuard } from './principal.guard.js';
import { PlatformOnly } from './request-principal.js';

/** `/v1/merchants`: the platform's merchants and their API keys. Platform tokens only. */
@ApiTags('merchants')
@ApiBearerAuth()
@UseGuards(PrincipalGuard)
@PlatformOnly()
@UsePipes(paymentsValidationPipe())
@UseFilters(PaymentsErrorsFilter)
@UseInterceptors(RefusalLogInterceptor)
@Controller('v1/merchants')
export class MerchantsController {
  private readonly logger = new Logger('Merchants');

  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(MerchantKeys) private readonly keys: MerchantKeys,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiBody({ type: CreateMerchantDto })
  @ApiCreatedResponse({ type: MerchantView })
  async create(@Body() body: CreateMerchantDto): Promise<MerchantView> {
    const merchant = await this.store.merchants.createMerchant({ id: newId('mer'), name: body.name, createdAt: new Date() });
    this.logger.log(`merchant ${merchant.id} created`);
    return merchantView(merchant);
  }

  @Get()
  @ApiOkResponse({ type: [MerchantView] })
  async list(): Promise<MerchantView[]> {
    return (await this.store.merchants.listMerchants()).map(merchantView);
  }

  @Get(':merchantId')
  @ApiOkResponse({ type: MerchantView })
  async get(@Param('merchantId') merchantId: string): Promise<MerchantView> {
    return merchantView(await this.merchant(merchantId));
  }

  /** The key is shown only in this answer; the store keeps a keyed hash of it. */
  @Post(':merchantId/api-keys')
  @HttpCode(201)
  @ApiBody({ type: CreateApiKeyDto })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  async createApiKey(@Param('merchantId') merchantId: string, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    await this.merchant(merchantId);
    const id = newId('ak');
    const { key, secret } = formatApiKey(id);
    const dataKey = await this.keys.dataKeyOf(merchantId);
    const record = { id, merchantId, name: body.name ?? '', secretHash: apiKeyHash(dataKey, id, secret), scopes: body.scopes ?? [...API_SCOPES], createdAt: new Date() };
    await this.store.merchants.createApiKey(record);
    this.logger.log(`API key ${id} created for merchant ${merchantId} with scopes ${record.scopes.join(', ')}`);
    return { id, name: record.name, key, scopes: record.scopes, createdAt: record.createdAt.toISOString() };
  }

  @Get(':merchantId/api-keys')
  @ApiOkResponse({ type: [ApiKeyView] })
  async listApiKeys(@Param('merchantId') merchantId: string): Promise<ApiKeyView[]> {
    await this.merchant(merchantId);
    return (await this.store.merchants.listApiKeys(merchantId)).map(apiKeyView);
  }

  /** Revoked at once: every instance looks the key up on every request. */
  @Delete(':merchantId/api-keys/:keyId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async revokeApiKey(@Param('merchantId') merchantId: string, @Param('keyId') keyId: string): Promise<void> {
    await this.merchant(merchantId);
    if (!(await this.store.merchants.revokeApiKey(merchantId, keyId, new Date()))) throw new NotFoundException(`API key ${keyId.slice(0, 64)} does not exist (or is revoked already)`);
    this.logger.log(`API key ${keyId} of merchant ${merchantId} revoked`);
  }

  private async merchant(merchantId: string): Promise<MerchantRecord> {
    const merchant = await this.store.merchants.findMerchant(merchantId);
    if (!merchant) throw new NotFoundException(`merchant ${merchantId.slice(0, 64)} does not exist`);
    return merchant;
  }
}

function merchantView(merchant: MerchantRecord): MerchantView {
  return { id: merchant.id, name: merchant.name, createdAt: merchant.createdAt.toISOString() };
}

function apiKeyView(key: ApiKeyRecord): ApiKeyView {
  const scopes: ApiScope[] = key.scopes.filter(isApiScope);
  return { id: key.id, name: key.name, scopes, createdAt: key.createdAt.toISOString(), revokedAt: key.revokedAt?.toISOString() ?? null };
}
