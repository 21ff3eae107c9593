import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, UseFilters, UseGuards, UseInterceptors, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PaymentsErrorsFilter } from '../http/payments-errors.filter.js';
import { RefusalLogInterceptor } from '../http/refusal-log.interceptor.js';
import { paymentsValidationPipe } from '../http/validation.js';
import { CreateProviderAccountDto, ProviderAccountViewDto, UpdateProviderAccountDto } from './merchant.dto.js';
import { PrincipalGuard } from './principal.guard.js';
import { ProviderAccounts, type ProviderAccountView } from './provider-accounts.service.js';
import { CurrentPrincipal, type RequestPrincipal, RequireScopes } from './request-principal.js';

/**
 * `/v1/merchants/:merchantId/provider-accounts`: a merchant's own provider accounts. A platform token,
 * or the merchant's own key with `provider-accounts:manage`; another merchant's id answers 404.
 */
@ApiTags('provider accounts')
@ApiBearerAuth()
@UseGuards(PrincipalGuard)
@RequireScopes('provider-accounts:manage')
@UsePipes(paymentsValidationPipe())
@UseFilters(PaymentsErrorsFilter)
@UseInterceptors(RefusalLogInterceptor)
@Controller('v1/merchants/:merchantId/provider-accounts')
export class ProviderAccountsController {
  constructor(@Inject(ProviderAccounts) private readonly accounts: ProviderAccounts) {}

  @Post()
  @HttpCode(201)
  @ApiBody({ type: CreateProviderAccountDto })
  @ApiCreatedResponse({ type: ProviderAccountViewDto })
  create(@CurrentPrincipal() principal: RequestPrincipal, @Param('merchantId') merchantId: string, @Body() body: CreateProviderAccountDto): Promise<ProviderAccountView> {
    return this.accounts.create(principal, merchantId, body);
  }

  @Get()
  @ApiOkResponse({ type: [ProviderAccountViewDto] })
  list(@CurrentPrincipal() principal: RequestPrincipal, @Param('merchantId') merchantId: string): Promise<ProviderAccountView[]> {
    return this.accounts.list(principal, merchantId);
  }

  @Get(':accountId')
  @ApiOkResponse({ type: ProviderAccountViewDto })
  get(@CurrentPrincipal() principal: RequestPrincipal, @Param('merchantId') merchantId: string, @Param('accountId') accountId: string): Promise<ProviderAccountView> {
    return this.accounts.get(principal, merchantId, accountId);
  }

  @Patch(':accountId')
  @ApiBody({ type: UpdateProviderAccountDto })
  @ApiOkResponse({ type: ProviderAccountViewDto })
  update(
    @CurrentPrincipal() principal: RequestPrincipal,
    @Param('merchantId') merchantId: string,
    @Param('accountId') accountId: string,
    @Body() body: UpdateProviderAccountDto,
  ): Promise<ProviderAccountView> {
    return this.accounts.update(principal, merchantId, accountId, body);
  }

  /** Disables the account: callbacks for its invoices are still processed; new invoices are refused. */
  @Delete(':accountId')
  @ApiOkResponse({ type: ProviderAccountViewDto })
  disable(@CurrentPrincipal() principal: RequestPrincipal, @Param('merchantId') merchantId: string, @Param('accountId') accountId: string): Promise<ProviderAccountView> {
    return this.accounts.disable(principal, merchantId, accountId);
  }
}
