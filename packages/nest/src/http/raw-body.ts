import { type INestApplication } from '@nestjs/common';
import express, { type Request } from 'express';
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
  app.use(CALLBACKS_PATH, express.raw({ type: () => true, limit: options.callbackLimit ?? '64kb' }));
  app.use(INVOICES_PATH, strictJsonBody({ limit: options.apiLimit ?? '100kb' }));
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
