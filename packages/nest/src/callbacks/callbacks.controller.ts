import { type IncomingMessage } from 'node:http';
import { type Acknowledgement, plainTextAcknowledgement, type RawCallback, toRawCallback } from '@cryptopay/provider-kit';
import { Controller, Get, Inject, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type HttpRequest, type HttpResponse, incomingOf, pathOf, sendAnswer } from '../http/platform.js';
import { routeBodyOf } from '../http/route-bodies.js';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type PaymentsModuleOptions } from '../payments.options.js';
import { ProviderRegistry, UnknownProviderError } from '../providers/provider-registry.js';
import { CallbackIntake } from './callback-intake.service.js';
import { CallbackRecorder } from './callback-recorder.js';
import { CallbackAccounts } from './callback-accounts.js';
import { isIdOf } from '../merchants/identifiers.js';

/** Where provider callbacks arrive, under the app's global prefix: `${CALLBACKS_PATH}/<provider>`. */
export const CALLBACKS_PATH = '/v1/callbacks';
/** Largest callback body read; providers send a few hundred bytes. */
export const CALLBACK_BODY_LIMIT = '64kb';

/**
 * `GET|POST /v1/callbacks/:provider`: one endpoint for every provider's environment-configured account,
 * and `/v1/callbacks/:provider/:accountId` for each merchant's own account, answered in the provider's own
 * format. No API token: a callback is authenticated by its adapter, over the exact bytes and target
 * received (the body is read ahead of the app's parsers, see `RouteBodies`). The app's global
 * prefix, guards, interceptors and middleware apply as to any route.
 */
@ApiExcludeController()
@Controller(CALLBACKS_PATH.slice(1))
export class CallbacksController {
  constructor(
    @Inject(CallbackIntake) private readonly intake: CallbackIntake,
    @Inject(ProviderRegistry) private readonly providers: ProviderRegistry,
    @Inject(CallbackRecorder) private readonly recorder: CallbackRecorder,
    @Inject(PAYMENTS_MODULE_OPTIONS) private readonly options: PaymentsModuleOptions,
    @Inject(CallbackAccounts) private readonly accounts: CallbackAccounts,
  ) {}

  @Get(':provider')
  async get(@Param('provider') provider: string, @Req() req: HttpRequest, @Res() res: HttpResponse): Promise<void> {
    answer(res, await this.receive(provider, req));
  }

  @Post(':provider')
  async post(@Param('provider') provider: string, @Req() req: HttpRequest, @Res() res: HttpResponse): Promise<void> {
    answer(res, await this.receive(provider, req));
  }

  /** A merchant's own provider account: the account id picks the secret or key to verify with, before anything else. */
  @Get(':provider/:accountId')
  async getForAccount(@Param('provider') provider: string, @Param('accountId') accountId: string, @Req() req: HttpRequest, @Res() res: HttpResponse): Promise<void> {
    answer(res, await this.receive(provider, req, accountId));
  }

  @Post(':provider/:accountId')
  async postForAccount(@Param('provider') provider: string, @Param('accountId') accountId: string, @Req() req: HttpRequest, @Res() res: HttpResponse): Promise<void> {
    answer(res, await this.receive(provider, req, accountId));
  }

  private async receive(provider: string, req: HttpRequest, accountId?: string): Promise<Acknowledgement> {
    // Only a provider account id makes the second segment a callback URL; anything else is no route of ours.
    if (accountId !== undefined && !isIdOf('pa', accountId)) throw new NotFoundException(`Cannot ${req.method} ${pathOf(req)}`);
    const body = routeBodyOf(incomingOf(req));
    if (!body) throw new Error('the callback body was not read ahead of the route');
    const raw = toRawCallback(asReceived(req), 'bytes' in body ? body.bytes : new Uint8Array(), this.options.publicUrl, new Date());
    const account = accountId === undefined ? null : await this.accounts.forCallback(provider, accountId);
    if (account && 'refusal' in account) return this.refuse(provider, raw, account.status, account.refusal);
    if (!account && !this.providers.has(provider)) return this.refuse(provider, raw, 404, new UnknownProviderError(provider, this.providers.names()).message);
    if ('refusal' in body) return this.refuse(provider, raw, body.refusal.status, `the request body could not be read: ${body.refusal.error.message}`);
    return this.intake.receive(provider, raw, account);
  }

  /** A callback no adapter can look at is answered in plain text, and logged as rejected like every other. */
  private refuse(provider: string, raw: RawCallback, status: number, reason: string): Acknowledgement {
    const ack = plainTextAcknowledgement(status, reason);
    this.recorder.refused(provider, raw, reason, ack);
    return ack;
  }
}

/**
 * What `toRawCallback` reads of the request: the target as the client sent it (a router mounted under
 * a path rewrites `url`, never `originalUrl`), and the headers as they came (Node's own).
 */
function asReceived(req: HttpRequest): IncomingMessage {
  const { method, headers, socket } = incomingOf(req);
  return { url: req.originalUrl, method, headers, socket } as IncomingMessage;
}

function answer(res: HttpResponse, ack: Acknowledgement): void {
  sendAnswer(res, ack.status, { 'Content-Type': ack.contentType, 'Content-Length': Buffer.byteLength(ack.body) }, ack.body);
}
