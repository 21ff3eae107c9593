import { type CoinRegistry } from '@cryptopay/invoice';
import { ApiTokenGuard, COIN_REGISTRY, InvoiceService } from '@cryptopay/nest';
import { SandboxPaymentUnsupportedError, SandboxStateLostError } from '@cryptopay/provider-kit';
import { BadRequestException, Body, ConflictException, Controller, HttpCode, Inject, NotFoundException, Param, Post, UseGuards, UsePipes, ValidationPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { paySandboxInvoice, SANDBOX_PAY_MODES, type SandboxPayMode, type SandboxPaymentResult } from './sandbox-payer.js';
import { type SandboxProviders } from './sandbox-providers.js';
import { SANDBOX_PROVIDERS } from './sandbox.token.js';

export class SandboxPayRequest {
  @IsOptional()
  @IsIn(SANDBOX_PAY_MODES, { message: `mode must be one of ${SANDBOX_PAY_MODES.join(', ')}` })
  readonly mode?: SandboxPayMode;

  /** The callbacks are lost: only reconciliation (`POST /v1/invoices/:id/reconcile`, or the scheduled reconciler) finds the payment. */
  @IsOptional()
  @IsBoolean({ message: 'dropCallbacks must be true or false' })
  readonly dropCallbacks?: boolean;
}

/** `POST /sandbox/invoices/:id/pay` (sandbox mode only): pays the invoice through its provider's simulator. */
@ApiTags('sandbox')
@ApiBearerAuth()
@UseGuards(ApiTokenGuard)
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
@Controller('sandbox')
export class SandboxController {
  constructor(
    @Inject(SANDBOX_PROVIDERS) private readonly sandbox: SandboxProviders,
    @Inject(InvoiceService) private readonly invoices: InvoiceService,
    @Inject(COIN_REGISTRY) private readonly coins: CoinRegistry,
  ) {}

  @Post('invoices/:id/pay')
  @HttpCode(200)
  @ApiBody({ type: SandboxPayRequest })
  async pay(@Param('id') id: string, @Body() body: SandboxPayRequest): Promise<SandboxPaymentResult> {
    const invoice = await this.invoices.findById(id);
    if (!invoice) throw new NotFoundException(`invoice ${id.slice(0, 64)} does not exist`);
    try {
      return await paySandboxInvoice(this.sandbox, this.coins, invoice, body.mode ?? 'full', body.dropCallbacks === true);
    } catch (error) {
      // The caller's choice, not a failure: a mode the invoice's provider cannot simulate.
      if (error instanceof SandboxPaymentUnsupportedError) throw new BadRequestException(error.message);
      // The invoice outlived its simulator's memory (a restart): a conflict with the sandbox's state.
      if (error instanceof SandboxStateLostError) throw new ConflictException(error.message);
      throw error;
    }
  }
}
