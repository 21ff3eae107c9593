import { type onRequestHookHandler } from 'fastify';

/**
 * The first step of a rolling restart: once draining, `GET /health/ready` answers 503 while the
 * gateway still serves everything else, so a load balancer takes the instance out of rotation
 * before its listener closes (SHUTDOWN_DELAY_SECONDS later).
 */
export class ShutdownReadiness {
  private draining = false;

  drain(): void {
    this.draining = true;
  }

  /** A Fastify `onRequest` hook: answers the readiness route itself, ahead of the health controller. */
  readonly gate: onRequestHookHandler = (request, reply, done) => {
    if (!this.draining || request.routeOptions.url !== '/health/ready') return done();
    reply.code(503).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ statusCode: 503, status: 'unavailable', reason: 'shutting down' }));
  };
}
