import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** Handles a request, or passes it on with `next`. */
export type FrontHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Puts `handler` in front of everything the HTTP server does with a request: what it passes on goes
 * to the listeners the server had (the app's router). Called again, the newest handler runs first.
 */
export function serveFirst(server: Server, handler: FrontHandler): void {
  const behind = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) =>
    handler(req, res, () => {
      for (const listener of behind) listener.call(server, req, res);
    }),
  );
}
