import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/**
 * The first step of shutting down: stop accepting connections and let the requests in flight finish
 * (callbacks mid-transaction among them) while Redis, the database and the delivery log are still
 * there. Nest's own close ends the modules first and the HTTP server after them; this runs in the
 * earliest hook, `onModuleDestroy`, so the module closes its resources only in
 * `onApplicationShutdown`, after every answer is out.
 */
@Injectable()
export class RequestDrain implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly inFlight = new Set<ServerResponse>();
  private closing = false;
  private drained: (() => void) | null = null;

  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    // Ahead of the app's own listener, so every request is counted before it is handled.
    this.server()?.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => this.track(res));
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server();
    if (!server) return;
    this.closing = true;
    // Stops listening and closes the idle keep-alive connections; busy ones close after their answer.
    server.close();
    for (const res of this.inFlight) closeAfter(res);
    if (this.inFlight.size > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    server.closeIdleConnections();
  }

  private track(res: ServerResponse): void {
    if (this.closing) closeAfter(res);
    this.inFlight.add(res);
    res.once('close', () => {
      this.inFlight.delete(res);
      if (this.inFlight.size === 0) this.drained?.();
    });
  }

  private server(): Server | null {
    return (this.host.httpAdapter?.getHttpServer() as Server | undefined) ?? null;
  }
}

/** A keep-alive connection would take the client's next request after shutdown began. */
function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}
