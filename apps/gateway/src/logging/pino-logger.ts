import { randomUUID } from 'node:crypto';
import { CALLBACKS_PATH } from '@cryptopay/nest';
import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { type DynamicModule } from '@nestjs/common';
import { type onRequestHookHandler } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import { type DestinationStream, type Level, pino, type Logger } from 'pino';
import { type HttpLogger, pinoHttp } from 'pino-http';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** The longest URL an access line holds: a 6 KB query must not make a 6 KB line. */
const MAX_LOGGED_URL_CHARS = 512;

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
 * `err`) through `logger` with nestjs-pino: during a request, through the request's logger of the
 * {@link accessLog}, so they carry its id (`reqId`). Import it in the app, then
 * `app.useLogger(app.get(Logger))` (nestjs-pino's `Logger`).
 */
export function nestLogging(logger: Logger): DynamicModule {
  // `useExisting`: the access log binds each request's logger; nestjs-pino carries it to Nest's lines.
  return LoggerModule.forRoot({ useExisting: true, pinoHttp: { logger } });
}

/**
 * The access log (pino-http), under the request's id ({@link requestId}, which Fastify gives each
 * request); mount it with `app.use()` before the app starts. A served request
 * is a `debug` line: the callback pipeline already reports every callback outcome an operator must
 * see (rejections, retry-later, unmatched) at info or above, and keeps every callback in the delivery
 * log. Client errors and aborted requests are `info`, server errors `error`; a refused callback is
 * `debug` too, as the callback pipeline reports it (sampled per source IP: anyone can send one). URLs
 * are logged through `redact` (the secret query parameters the provider adapters declare) and cut to
 * 512 characters; no header is logged.
 */
export function accessLog(logger: Logger, redact: (target: string) => string): HttpLogger {
  const line = (req: IncomingMessage, fields: object) => ({ ...fields, req: requestFields(req as IncomingMessage & { id: string }, redact) });
  return pinoHttp({
    logger,
    // pino-http binds the request to one child logger per request, under `reqId`, whose serializer
    // keeps only its id: lines logged during a request carry the id, the access line the request
    // (below). Its `quietReqLogger` would add a child of that child, and a logger used as a prototype
    // per request costs V8 dearly: 10–20 µs of every callback (docs/benchmarks.md, fix 16).
    customAttributeKeys: { req: REQUEST_ID_KEY },
    wrapSerializers: false,
    serializers: { [REQUEST_ID_KEY]: idOfRequest, res: (res: ServerResponse) => ({ statusCode: res.statusCode }) },
    customLogLevel: (req, res, error) => {
      const level = accessLevel(req, res, error);
      return logger.isLevelEnabled(level) ? level : 'silent';
    },
    customSuccessMessage: (_req, res) => (res.writableFinished ? 'request completed' : 'request aborted'),
    customSuccessObject: (req, _res, fields) => line(req, fields),
    customErrorObject: (req, _res, _error, fields) => line(req, fields),
  });
}

const REQUEST_ID_KEY = 'reqId';

/** The bound request as its id; any other value logged under the key as it is. */
function idOfRequest(value: unknown): unknown {
  return typeof value === 'object' && value !== null && 'id' in value ? value.id : value;
}

function requestFields(req: IncomingMessage & { id: string; originalUrl?: string }, redact: (target: string) => string): Record<string, unknown> {
  const url = redact(req.originalUrl ?? req.url ?? '/');
  return { id: req.id, method: req.method, url: url.length > MAX_LOGGED_URL_CHARS ? `${url.slice(0, MAX_LOGGED_URL_CHARS - 1)}…` : url, remoteAddress: req.socket.remoteAddress ?? null, userAgent: req.headers['user-agent'] };
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

function accessLevel(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, error: Error | undefined): Level {
  if (res.statusCode >= 500 || error) return 'error';
  if (isCallback(req)) return 'debug';
  if (res.statusCode >= 400 || !res.writableFinished) return 'info';
  return 'debug';
}

function isCallback(req: IncomingMessage & { originalUrl?: string }): boolean {
  const path = req.originalUrl ?? req.url ?? '';
  return path.startsWith(`${CALLBACKS_PATH}/`);
}
