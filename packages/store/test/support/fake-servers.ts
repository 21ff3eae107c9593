import { createServer, type Server, type Socket } from 'node:net';
import { listenOnFreePort } from '@cryptopay/test-servers';

export interface FakeServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A TCP server on loopback that treats every connection with `onConnection`. */
async function listen(onConnection: (socket: Socket) => void): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  return {
    port: await listenOnFreePort(server),
    close: () =>
      new Promise<void>((closed) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  };
}

/** Accepts connections and never answers: a database that hangs. */
export function silentServer(): Promise<FakeServer> {
  return listen(() => undefined);
}

/** Accepts connections and closes them at once: a database that drops clients. */
export function hangingUpServer(): Promise<FakeServer> {
  return listen((socket) => socket.destroy());
}
