import { type IncomingMessage, type ServerResponse } from 'node:http';

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

  /** Express middleware on `/health/ready`, ahead of the health controller. */
  readonly gate = (_req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (!this.draining) return next();
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ statusCode: 503, status: 'unavailable', reason: 'shutting down' }));
  };
}
