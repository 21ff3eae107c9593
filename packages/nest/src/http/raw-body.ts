import { type INestApplication } from '@nestjs/common';
import express, { type Request } from 'express';

/** Where provider callbacks arrive; the adapters' signatures are checked over these requests' exact bytes. */
export const CALLBACKS_PATH = '/v1/callbacks';

export interface RawBodyOptions {
  /** Largest callback body accepted (express size string). */
  readonly limit?: string;
}

/**
 * Gives the callback route the exact request bytes: registers a raw parser for `/v1/callbacks`
 * ahead of Nest's JSON and form parsers (which then skip the already-read request). Call it
 * before `app.init()`/`app.listen()`; an app created with `rawBody: true` works too.
 */
export function usePaymentsRawBody(app: INestApplication, options: RawBodyOptions = {}): void {
  app.use(CALLBACKS_PATH, express.raw({ type: () => true, limit: options.limit ?? '64kb' }));
}

/** Thrown when the app parsed a callback body without keeping its bytes: a wiring mistake. */
export class RawBodyUnavailableError extends Error {
  override readonly name = 'RawBodyUnavailableError';

  constructor() {
    super('the raw callback body was not captured: call usePaymentsRawBody(app) before app.listen()');
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
