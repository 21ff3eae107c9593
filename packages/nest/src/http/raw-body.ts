import { finished } from 'node:stream';
import { type INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { strictJsonBody } from './json-body.js';

/** Where provider callbacks arrive; the adapters' signatures are checked over these requests' exact bytes. */
export const CALLBACKS_PATH = '/v1/callbacks';
/** The invoice API, whose JSON bodies are parsed strictly. */
const INVOICES_PATH = '/v1/invoices';

export interface BodyParsersOptions {
  /** Largest callback body accepted (express size string, default 64kb). */
  readonly callbackLimit?: string;
  /** Largest invoice API body accepted (default 100kb). */
  readonly apiLimit?: string;
}

/**
 * The body parsing the payments module needs; call it before `app.init()`/`app.listen()`. The
 * callback route gets the exact request bytes (the adapters check signatures over them), the invoice
 * API a strict JSON parser ({@link strictJsonBody}). Both run ahead of Nest's own JSON and form
 * parsers, which then skip the already-read request; the app's other routes keep those.
 */
export function usePaymentsBodyParsers(app: INestApplication, options: BodyParsersOptions = {}): void {
  app.use(CALLBACKS_PATH, callbackRawBody(options.callbackLimit ?? '64kb'));
  app.use(INVOICES_PATH, strictJsonBody({ limit: options.apiLimit ?? '100kb' }));
}

/** Why a callback's body could not be read (too large, an unknown or corrupt Content-Encoding). */
export interface BodyRefusal {
  readonly status: number;
  readonly reason: string;
}

const BODY_REFUSAL = Symbol('cryptopay.callbackBodyRefusal');
type CallbackRequest = Request & { [BODY_REFUSAL]?: BodyRefusal };

/**
 * The raw parser for callbacks. A body it refuses (413, 415, a bad gzip 400) is not answered here:
 * the refusal is handed on to the callback route, so the refused callback gets its log entry too.
 */
function callbackRawBody(limit: string): RequestHandler {
  const read = express.raw({ type: () => true, limit });
  return (req: Request, res: Response, next: NextFunction) =>
    read(req, res, (error?: unknown) => {
      const status = clientErrorStatusOf(error);
      if (status === null) return next(error);
      (req as CallbackRequest)[BODY_REFUSAL] = { status, reason: `the request body could not be read: ${(error as Error).message}` };
      // A body refused before it was read (an unknown encoding) is read off and dropped: a later parser would refuse it again.
      if (req.complete) return next();
      req.resume();
      finished(req, () => next());
    });
}

/** The 4xx status of a body-parser error (http-errors shape), or null for no error or a server fault. */
function clientErrorStatusOf(error: unknown): number | null {
  if (!(error instanceof Error)) return null;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

/** The refusal {@link callbackRawBody} recorded for this request, if its body could not be read. */
export function bodyRefusalOf(req: Request): BodyRefusal | null {
  return (req as CallbackRequest)[BODY_REFUSAL] ?? null;
}

/** Thrown when the app parsed a callback body without keeping its bytes: a wiring mistake. */
export class RawBodyUnavailableError extends Error {
  override readonly name = 'RawBodyUnavailableError';

  constructor() {
    super('the raw callback body was not captured: call usePaymentsBodyParsers(app) before app.listen()');
  }
}

/** The bytes of the request body exactly as received (empty when there is none). */
export function rawBodyOf(req: Request & { rawBody?: Buffer }): Uint8Array {
  if (Buffer.isBuffer(req.body)) return req.body;
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  const hasBody = req.body !== undefined && !(typeof req.body === 'object' && Object.keys(req.body as object).length === 0);
  if (hasBody) throw new RawBodyUnavailableError();
  return new Uint8Array();
}
