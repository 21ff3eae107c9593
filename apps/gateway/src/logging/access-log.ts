import { CALLBACKS_PATH } from '@cryptopay/nest';
import { type FastifyReply, type FastifyRequest, LogController, type onRequestHookHandler } from 'fastify';
import { type Level, type Logger } from 'pino';

/** The longest URL an access line holds: a 6 KB query must not make a 6 KB line. */
const MAX_LOGGED_URL_CHARS = 512;

/**
 * The access log: one line per request, written by Fastify (a `LogController`, the way Fastify lets
 * an app shape its request lines) on the request's own logger, which carries the request's id as
 * `reqId` and which nestjs-pino gives Nest's lines during the request. One child logger per request:
 * a second one, as pino-http made beside Fastify's, costs V8 dearly (docs/benchmarks.md).
 *
 * A served request is a `debug` line: the callback pipeline already reports every callback outcome
 * an operator must see (rejections, retry-later, unmatched) at info or above, and keeps every
 * callback in the delivery log. Client errors and aborted requests are `info`, server errors
 * `error`; a refused callback is `debug` too, as the callback pipeline reports it (sampled per source
 * IP: anyone can send one). URLs are logged through the redaction given by {@link redactUrlsWith}
 * and cut to 512 characters; no header is logged.
 */
export class AccessLog extends LogController {
  #redact: (target: string) => string = (target) => target;

  constructor() {
    // Fastify's own request lines stay off (a 404 logs the raw URL, an error the whole request: either
    // could carry a callback secret); the access line below is written whatever that setting says.
    super({ disableRequestLogging: true });
  }

  /** Redacts the URLs logged from now on (the providers, which declare their secrets, are known once the app exists). */
  redactUrlsWith(redact: (target: string) => string): void {
    this.#redact = redact;
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    this.#write(request, accessLevel(request, reply.statusCode, error), 'request completed', { res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime, ...(error ? { err: error } : {}) });
  }

  /**
   * A Fastify `onRequest` hook: a request whose answer was never written out (the client went away)
   * gets a `request aborted` line, as Fastify does not complete it. Watched on the response: Fastify's
   * own `onRequestAbort` hook listens on the request instead, and that costs the gateway about 40 µs
   * of every request (docs/benchmarks.md).
   */
  readonly watchForAbort: onRequestHookHandler = (request, reply, done) => {
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) this.#write(request, isCallback(request) ? 'debug' : 'info', 'request aborted', {});
    });
    done();
  };

  /** The line on the request's logger; its fields are only built when its level is on. */
  #write(request: FastifyRequest, level: Level, message: string, fields: object): void {
    const log = request.log as Logger; // Fastify types it as the least a logger has; the gateway's is pino
    if (log.isLevelEnabled(level)) log[level]({ req: this.#fields(request), ...fields }, message);
  }

  #fields(request: FastifyRequest): Record<string, unknown> {
    const url = this.#redact(request.url);
    return {
      method: request.method,
      url: url.length > MAX_LOGGED_URL_CHARS ? `${url.slice(0, MAX_LOGGED_URL_CHARS - 1)}…` : url,
      remoteAddress: request.raw.socket.remoteAddress ?? null,
      userAgent: request.headers['user-agent'],
    };
  }
}

function accessLevel(request: FastifyRequest, statusCode: number, error: Error | null | undefined): Level {
  if (statusCode >= 500 || error) return 'error';
  if (isCallback(request)) return 'debug';
  return statusCode >= 400 ? 'info' : 'debug';
}

function isCallback(request: FastifyRequest): boolean {
  return request.url.startsWith(`${CALLBACKS_PATH}/`);
}
