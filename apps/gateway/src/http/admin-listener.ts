import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { type onRequestHookHandler } from 'fastify';

/** What an operator reads, never a payer or a provider: health, metrics and the OpenAPI document (the gateway's routes ignore case, so this does too). */
const ADMIN_PATH = /^\/(?:health|metrics|docs)(?:[/?-]|$)/i;

/** Set on the requests the admin listener received. */
const VIA_ADMIN = Symbol('cryptopay.adminListener');
type Marked = IncomingMessage & { [VIA_ADMIN]?: true };

/**
 * With ADMIN_PORT, one Fastify app answers on two listeners, each its own share of the paths: the
 * admin paths only on the admin listener, everything else only on the public one. The other
 * listener answers 404 as if the route did not exist. The first `onRequest` hook, ahead of every other.
 */
export const separateAdminPaths: onRequestHookHandler = (request, reply, done) => {
  const adminPath = ADMIN_PATH.test(request.url);
  if (adminPath === ((request.raw as Marked)[VIA_ADMIN] === true)) return done();
  reply.code(404).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ message: `Cannot ${request.method} ${request.url.split('?')[0]}`, error: 'Not Found', statusCode: 404 }));
};

/** The admin listener: the app's own handler, its requests marked; listening once this resolves. */
export async function listenAdmin(app: RequestListener, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    (req as Marked)[VIA_ADMIN] = true;
    app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Stops accepting, closes idle keep-alive connections (a scraper's), and resolves when the last request is answered. */
export function closeAdmin(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
