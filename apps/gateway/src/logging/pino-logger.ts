import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { type ServerResponse } from 'node:http';
import { type FrontHandler } from '@cryptopay/nest';
import { type LoggerService } from '@nestjs/common';
import { type DestinationStream, type Level, pino, type Logger } from 'pino';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The logger of the request being handled: the process logger with the request id bound (`reqId`). */
const requestLogger = new AsyncLocalStorage<Logger>();

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
 * The access log, with a request id (the caller's `X-Request-Id` when sane, else a new one) sent back
 * in `X-Request-Id`. A served request is a `debug` line: the callback pipeline already reports every
 * callback outcome an operator must see (rejections, retry-later, unmatched) at info or above, and
 * keeps every callback in the delivery log (a delivery's duplicates: one per minute, the rest
 * counted). Client errors are `info`, server errors `error`. URLs are logged through `redact` (the
 * secret query parameters the provider adapters declare).
 */
export function accessLog(logger: Logger, redact: (target: string) => string): FrontHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    const requestLog = logger.child({ reqId: id });
    const started = performance.now();
    // 'close' follows 'finish', and also comes alone when the client went away first.
    res.once('close', () => {
      const level = accessLevel(res);
      if (!logger.isLevelEnabled(level)) return;
      const responseTime = Math.round(performance.now() - started);
      const request = { id, method: req.method, url: redact(req.url ?? '/'), remoteAddress: req.socket.remoteAddress ?? null, userAgent: req.headers['user-agent'] };
      logger[level]({ req: request, res: { statusCode: res.statusCode }, responseTime }, res.writableFinished ? 'request completed' : 'request aborted');
    });
    // Every line logged while handling the request (through Nest's logger) carries its id.
    requestLogger.run(requestLog, next);
  };
}

function accessLevel(res: ServerResponse): Level {
  if (res.statusCode >= 500) return 'error';
  if (res.statusCode >= 400 || !res.writableFinished) return 'info';
  return 'debug';
}

/**
 * Nest's log lines (start-up, module messages, the payments module's reports) through the same pino
 * logger: during a request, its child with the request id. An `Error` is logged as `err`, with its
 * stack (Nest hands the unhandled ones over as they are).
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.current().info(fieldsOf(message, context), textOf(message));
  }

  /** `trace` is the stack Nest's `Logger.error(message, stack)` passes along with a message. */
  error(message: unknown, trace?: unknown, context?: string): void {
    const fields = fieldsOf(message, context);
    this.current().error(typeof trace === 'string' && !(message instanceof Error) ? { ...fields, stack: trace } : fields, textOf(message));
  }

  warn(message: unknown, context?: string): void {
    this.current().warn(fieldsOf(message, context), textOf(message));
  }

  debug(message: unknown, context?: string): void {
    this.current().debug(fieldsOf(message, context), textOf(message));
  }

  verbose(message: unknown, context?: string): void {
    this.current().trace(fieldsOf(message, context), textOf(message));
  }

  private current(): Logger {
    return requestLogger.getStore() ?? this.logger;
  }
}

function fieldsOf(message: unknown, context: string | undefined): Record<string, unknown> {
  return message instanceof Error ? { context, err: message } : { context };
}

function textOf(message: unknown): string {
  return message instanceof Error ? message.message : String(message);
}
