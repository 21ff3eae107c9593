import { once } from 'node:events';
import { createServer, type Server } from 'node:net';

/**
 * Starts `server` (an HTTP or TCP server the test owns) on 127.0.0.1 on a port the kernel picks,
 * and resolves with that port: no race with another process for it.
 */
export async function listenOnFreePort(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/**
 * A TCP port on 127.0.0.1 that nobody listens on right now, for a process that takes its port as a
 * setting (redis-server, PostgreSQL, the gateway), or for an address that must refuse connections.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listenOnFreePort(server);
  await new Promise((closed) => server.close(closed));
  return port;
}
