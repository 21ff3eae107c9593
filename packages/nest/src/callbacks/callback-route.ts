import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Acknowledgement, plainTextAcknowledgement, toRawCallback } from '@cryptopay/provider-kit';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type FrontHandler } from '../http/serve-first.js';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type PaymentsModuleOptions } from '../payments.options.js';
import { ProviderRegistry, UnknownProviderError } from '../providers/provider-registry.js';
import { type BodyRefusal, type CallbackBody, callbackBodyReader } from './callback-body.js';
import { CallbackIntake } from './callback-intake.service.js';
import { CallbackRecorder } from './callback-recorder.js';

/** Where provider callbacks arrive: `${CALLBACKS_PATH}/<provider>`. */
export const CALLBACKS_PATH = '/v1/callbacks';
/** `GET|POST /v1/callbacks/:provider[/][?query]`, matched as the app's router would (case-insensitive). */
const CALLBACK_TARGET = new RegExp(`^${CALLBACKS_PATH}/([^/?]+)/?(?:\\?|$)`, 'i');

/**
 * `GET|POST /v1/callbacks/:provider`: one endpoint for every provider, answered in the provider's own
 * format. Served on the HTTP server itself, ahead of the app's router, middleware, guards and
 * interceptors: a provider's retry storm lands here, and a callback needs none of them (it is
 * authenticated by its adapter, over the exact bytes read here, and every outcome is logged by the
 * {@link CallbackRecorder}). Everything else goes on to the app.
 */
@Injectable()
export class CallbackRoute {
  private readonly logger = new Logger('Callbacks');

  constructor(
    @Inject(CallbackIntake) private readonly intake: CallbackIntake,
    @Inject(ProviderRegistry) private readonly providers: ProviderRegistry,
    @Inject(CallbackRecorder) private readonly recorder: CallbackRecorder,
    @Inject(PAYMENTS_MODULE_OPTIONS) private readonly options: PaymentsModuleOptions,
  ) {}

  /** The route as a {@link FrontHandler} that reads bodies up to `bodyLimit` (an express size string). */
  handler(bodyLimit: string): FrontHandler {
    const readBody = callbackBodyReader(bodyLimit);
    return (req, res, next) => {
      const provider = providerNamed(req);
      if (provider === null) return next();
      readBody(req, res)
        .then((body) => this.serve(provider, req, body))
        .then((ack) => answer(res, ack))
        .catch((error: unknown) => this.fail(res, error));
    };
  }

  private async serve(provider: string, req: IncomingMessage, body: CallbackBody): Promise<Acknowledgement> {
    const raw = toRawCallback(req, 'bytes' in body ? body.bytes : new Uint8Array(), this.options.publicUrl, new Date());
    const refusal = this.refusalOf(provider, body);
    if (!refusal) return this.intake.receive(provider, raw);
    // A callback no adapter can look at is answered in plain text, and logged as rejected like every other.
    const ack = plainTextAcknowledgement(refusal.status, refusal.reason);
    this.recorder.refused(provider, raw, refusal.reason, ack);
    return ack;
  }

  /** Why no adapter can look at this callback: a provider that is not enabled, or a body that could not be read. */
  private refusalOf(provider: string, body: CallbackBody): BodyRefusal | null {
    if (!this.providers.has(provider)) return { status: 404, reason: new UnknownProviderError(provider, this.providers.names()).message };
    return 'refusal' in body ? body.refusal : null;
  }

  /** A fault of ours (the intake answers every failure it expects): logged with its stack, answered 500 so the provider retries. */
  private fail(res: ServerResponse, error: unknown): void {
    this.logger.error(`callback failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, error instanceof Error ? error.stack : undefined);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    answer(res, { status: 500, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ statusCode: 500, message: 'Internal server error' }) });
  }
}

/** The provider a callback request names (percent-decoded), or null when the request is not one. */
function providerNamed(req: IncomingMessage): string | null {
  if (req.method !== 'GET' && req.method !== 'POST') return null;
  const segment = CALLBACK_TARGET.exec(req.url ?? '')?.[1];
  if (segment === undefined) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function answer(res: ServerResponse, ack: Acknowledgement): void {
  res.writeHead(ack.status, { 'Content-Type': ack.contentType, 'Content-Length': Buffer.byteLength(ack.body) });
  res.end(ack.body);
}
