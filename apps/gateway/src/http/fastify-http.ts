import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyInstance, type RawServerDefault } from 'fastify';
import { type Logger } from 'pino';
import { type AccessLog } from '../logging/access-log.js';
import { echoRequestId, requestId } from '../logging/pino-logger.js';
import { clientErrorAnswerer } from './client-errors.js';

/** The gateway's HTTP platform: Fastify, routing as Express does and logging through the gateway's logger. */
export function gatewayHttpAdapter(logger: Logger, accessLog: AccessLog, keepAliveTimeoutMs?: number): FastifyAdapter {
  return new FastifyAdapter({
    // As Express routes (and as the gateway did on it): any letter case, a trailing slash ignored, and
    // a made-up provider name longer than Fastify's default of 100 characters still a logged 404, not a 414.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 2_048 },
    clientErrorHandler: clientErrorAnswerer(logger),
    // Fastify's own errors in the gateway's log, and each request's logger (bound to its id, which
    // nestjs-pino gives Nest's lines during the request), which writes the access line.
    loggerInstance: logger,
    logController: accessLog,
    genReqId: requestId,
    ...(keepAliveTimeoutMs === undefined ? {} : { keepAliveTimeout: keepAliveTimeoutMs }),
  });
}

/** The request id sent back, and the access line of a request the client gave up on; before the app starts. */
export function useRequestLogging(app: NestFastifyApplication, accessLog: AccessLog): void {
  fastifyOf(app).addHook('onRequest', echoRequestId);
  fastifyOf(app).addHook('onRequest', accessLog.watchForAbort);
}

/**
 * As on Express: a request that says `Content-Type: application/json` but sends no body (API clients
 * set the header on every call, a DELETE or an action route's POST included) has no body, where
 * Fastify's parser answers 400. Any other body goes to Fastify's own JSON parser, up to Express's
 * 100 KB. (`PaymentsModule` reads the bodies of its invoice and webhook-endpoint routes itself.)
 */
export function acceptEmptyJsonBodies(app: NestFastifyApplication): void {
  const json = fastifyOf(app).getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit: 100 * 1024 }, (request, body, done) =>
    body.length === 0 ? done(null, undefined) : json(request, body.toString('utf8'), done),
  );
}

export function fastifyOf(app: NestFastifyApplication): FastifyInstance {
  return app.getHttpAdapter().getInstance() as FastifyInstance;
}
