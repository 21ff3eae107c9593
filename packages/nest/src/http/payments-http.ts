import { type Server } from 'node:http';
import { type INestApplication } from '@nestjs/common';
import { CallbackRoute } from '../callbacks/callback-route.js';
import { strictJsonBody } from './json-body.js';
import { serveFirst } from './serve-first.js';

/** The invoice API, whose JSON bodies are parsed strictly. */
const INVOICES_PATH = '/v1/invoices';

export interface PaymentsHttpOptions {
  /** Largest callback body accepted (express size string, default 64kb). */
  readonly callbackLimit?: string;
  /** Largest invoice API body accepted (default 100kb). */
  readonly apiLimit?: string;
}

/**
 * The HTTP wiring the payments module needs; call it before `app.init()`/`app.listen()`. The
 * callback route is served on the HTTP server ahead of the app ({@link CallbackRoute}); the invoice
 * API gets a strict JSON parser ({@link strictJsonBody}) ahead of Nest's own, which the app's other
 * routes keep.
 */
export function usePaymentsHttp(app: INestApplication, options: PaymentsHttpOptions = {}): void {
  serveFirst(app.getHttpServer() as Server, app.get(CallbackRoute).handler(options.callbackLimit ?? '64kb'));
  app.use(INVOICES_PATH, strictJsonBody({ limit: options.apiLimit ?? '100kb' }));
}
