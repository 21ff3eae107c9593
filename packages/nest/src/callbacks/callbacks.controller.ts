import { type Acknowledgement, plainTextAcknowledgement, type RawCallback, toRawCallback } from '@cryptopay/provider-kit';
import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { type BodyRefusal, bodyRefusalOf, rawBodyOf } from '../http/raw-body.js';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type PaymentsModuleOptions } from '../payments.options.js';
import { ProviderRegistry, UnknownProviderError } from '../providers/provider-registry.js';
import { CallbackIntake } from './callback-intake.service.js';
import { CallbackRecorder } from './callback-recorder.js';

/** `GET|POST /v1/callbacks/:provider`: one endpoint for every provider, answered in the provider's own format. */
@ApiExcludeController()
@Controller('v1/callbacks')
export class CallbacksController {
  constructor(
    @Inject(CallbackIntake) private readonly intake: CallbackIntake,
    @Inject(ProviderRegistry) private readonly providers: ProviderRegistry,
    @Inject(CallbackRecorder) private readonly recorder: CallbackRecorder,
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
    const refusal = this.refusalOf(provider, req);
    const ack = refusal ? this.refuse(provider, raw, refusal) : await this.intake.receive(provider, raw);
    res.status(ack.status).type(ack.contentType).send(ack.body);
  }

  /** A callback no adapter can look at: for a provider that is not enabled, or with a body that could not be read. */
  private refusalOf(provider: string, req: Request): BodyRefusal | null {
    if (!this.providers.has(provider)) return { status: 404, reason: new UnknownProviderError(provider, this.providers.names()).message };
    return bodyRefusalOf(req);
  }

  /** Answered in plain text, and logged as rejected like every other callback. */
  private refuse(provider: string, raw: RawCallback, refusal: BodyRefusal): Acknowledgement {
    const ack = plainTextAcknowledgement(refusal.status, refusal.reason);
    this.recorder.refused(provider, raw, refusal.reason, ack);
    return ack;
  }
}
