import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type LoggerService } from '@nestjs/common';
import { type DestinationStream, type Level, pino, type Logger } from 'pino';

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

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * The access log, with a request id (the caller's `X-Request-Id` when sane, else a new one) sent back
 * in `X-Request-Id`. A served request is a `debug` line: the callback pipeline already reports every
 * callback outcome an operator must see (rejections, retry-later, unmatched) at info or above, and
 * keeps every callback in the delivery log. Client errors are `info`, server errors `error`. URLs are
 * logged through `redact` (the secret query parameters the provider adapters declare).
 */
export function accessLog(logger: Logger, redact: (target: string) => string): Middleware {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    const started = performance.now();
    // 'close' follows 'finish', and also comes alone when the client went away first.
    res.once('close', () => {
      const level = accessLevel(res);
      if (!logger.isLevelEnabled(level)) return;
      const responseTime = Math.round(performance.now() - started);
      const request = { id, method: req.method, url: redact(req.url ?? '/'), remoteAddress: req.socket.remoteAddress ?? null, userAgent: req.headers['user-agent'] };
      logger[level]({ req: request, res: { statusCode: res.statusCode }, responseTime }, res.writableFinished ? 'request completed' : 'request aborted');
    });
    next();
  };
}

function accessLevel(res: ServerResponse): Level {
  if (res.statusCode >= 500) return 'error';
  if (res.statusCode >= 400 || !res.writableFinished) return 'info';
  return 'debug';
}

/** Nest's own log lines (start-up, module messages) through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
