import { toRawCallback } from '@cryptopay/provider-kit';
import { Controller, Get, Inject, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { rawBodyOf } from '../http/raw-body.js';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type PaymentsModuleOptions } from '../payments.options.js';
import { UnknownProviderError } from '../providers/provider-registry.js';
import { CallbackIntake } from './callback-intake.service.js';

/** `GET|POST /v1/callbacks/:provider`: one endpoint for every provider, answered in the provider's own format. */
@ApiExcludeController()
@Controller('v1/callbacks')
export class CallbacksController {
  constructor(
    @Inject(CallbackIntake) private readonly intake: CallbackIntake,
    @Inject(PAYMENTS_MODULE_OPTIONS) private readonly options: PaymentsModuleOptions,
  ) {}

  @Get(':provider')
  receiveGet(@Param('provider') provider: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.receive(provider, req, res);
  }

  @Post(':provider')
  receivePost(@Param('provider') provider: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.receive(provider, req, res);
  }

  private async receive(provider: string, req: Request, res: Response): Promise<void> {
    const raw = toRawCallback(req, rawBodyOf(req), this.options.publicUrl, new Date());
    try {
      const ack = await this.intake.receive(provider, raw);
      res.status(ack.status).type(ack.contentType).send(ack.body);
    } catch (error) {
      if (error instanceof UnknownProviderError) throw new NotFoundException(error.message);
      throw error;
    }
  }
}
