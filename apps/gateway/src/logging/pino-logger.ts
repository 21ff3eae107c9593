import { randomUUID } from 'node:crypto';
import { type IncomingMessage } from 'node:http';
import { redactTarget } from '@cryptopay/nest';
import { type LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';

/** Structured JSON logs on stdout; secrets (auth headers, URL secrets) never reach them. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'cryptopay-gateway' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'], censor: '[redacted]' },
  });
}

/** Request logging with a request id (the caller's `X-Request-Id` when sane, else a new one). */
export function requestLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: IncomingMessage & { id?: string; raw?: IncomingMessage }) => ({
        id: req.id,
        method: req.method,
        url: redactTarget(req.url ?? '/'),
        remoteAddress: req.socket?.remoteAddress ?? (req.raw?.socket?.remoteAddress ?? null),
        userAgent: req.headers?.['user-agent'],
      }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
  });
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
