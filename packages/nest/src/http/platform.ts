import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { type Socket } from 'node:net';

/**
 * What the module reads of a request, the same under both Nest platforms: Express's request is Node's
 * own `IncomingMessage` with more on it; Fastify's wraps one (`raw`). Both keep the target as the
 * client sent it in `originalUrl`.
 */
export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly originalUrl: string;
  readonly headers: IncomingHttpHeaders;
  readonly socket: Socket;
  readonly query: unknown;
  body?: unknown;
  /** Fastify's: Node's request. */
  readonly raw?: IncomingMessage;
  /** Express's: the route matched (its pattern in `path`). */
  readonly route?: { readonly path?: unknown };
  /** Fastify's: the route matched (its pattern in `url`). */
  readonly routeOptions?: { readonly url?: unknown };
}

/** Node's request under either platform: what a body is read from and keyed by, with its headers as received. */
export function incomingOf(req: HttpRequest | IncomingMessage): IncomingMessage {
  return (req as HttpRequest).raw ?? (req as IncomingMessage);
}

/** The path the client asked for, without its query. */
export function pathOf(req: HttpRequest): string {
  const target = req.originalUrl;
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

/** The pattern of the route that matched (`/v1/invoices/:id`), else the path: never an id or a query value. */
export function routePatternOf(req: HttpRequest): string {
  const pattern = req.route?.path ?? req.routeOptions?.url;
  return typeof pattern === 'string' ? pattern : pathOf(req);
}

/** Fastify's reply, as Nest's `@Res()` gives it; Express gives Node's response itself. */
interface FastifyReply {
  readonly raw: ServerResponse;
  code(status: number): FastifyReply;
  headers(values: Readonly<Record<string, string | number>>): FastifyReply;
  send(body: string): unknown;
}

/** What Nest's `@Res()` gives a route: Node's response on Express, Fastify's reply on Fastify. */
export type HttpResponse = ServerResponse | FastifyReply;

/**
 * Sends a whole answer from a route that took `@Res()`: through Fastify's reply (so its hooks and
 * logging see it), or written out at once on Express, where `res.send` would add an ETag nobody asked for.
 */
export function sendAnswer(res: HttpResponse, status: number, headers: Readonly<Record<string, string | number>>, body: string): void {
  if ('raw' in res) {
    res.code(status).headers(headers).send(body);
    return;
  }
  res.writeHead(status, headers);
  res.end(body);
}
