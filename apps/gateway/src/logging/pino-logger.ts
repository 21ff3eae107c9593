import { randomUUID } from 'node:crypto';
import { type IncomingHttpHeaders } from 'node:http';
import { type DynamicModule } from '@nestjs/common';
import { type onRequestHookHandler } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import { type DestinationStream, pino, type Logger } from 'pino';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Structured JSON logs on stdout; secrets (auth headers, URL secrets) never reach them. Written
 * asynchronously by default: a synchronous write per line would stall every request behind the
 * disk. pino flushes what is buffered when the process exits; {@link flushLogger} on shutdown.
 */
export function createLogger(level: string, destination: DestinationStream = pino.destination({ sync: false })): Logger {
  return pino(
    {
      level,
      base: { service: 'cryptopay-gateway' },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'], censor: '[redacted]' },
    },
    destination,
  );
}

/** Writes out what the asynchronous destination still holds. */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}

/**
 * Nest's log lines (start-up, the payments module's reports, unhandled errors with their stack as
 * `err`) through `logger` with nestjs-pino: during a request, through the request's logger that
 * Fastify made (bound to its id, `reqId`), outside one through `logger` itself. Import it in the
 * app, then `app.useLogger(app.get(Logger))` (nestjs-pino's `Logger`).
 */
export function nestLogging(logger: Logger): DynamicModule {
  // `useExisting`: nestjs-pino takes Fastify's request logger (`loggerInstance` of the adapter)
  // instead of making one more per request with pino-http.
  return LoggerModule.forRoot({ useExisting: true, pinoHttp: { logger } });
}

/**
 * A request's id: the caller's `X-Request-Id` when sane, else a new one. Fastify's `genReqId`, so the
 * request, its access line and every line logged during it share it; sent back by {@link echoRequestId}.
 */
export function requestId(req: { readonly headers: IncomingHttpHeaders }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Sends the request's id back in `X-Request-Id` (a Fastify `onRequest` hook: also on a 404). */
export const echoRequestId: onRequestHookHandler = (request, reply, done) => {
  reply.header('X-Request-Id', request.id);
  done();
};
