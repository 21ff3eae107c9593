import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { type RawBody, rawBodyReader } from './raw-body.js';
import { type BodyRoute } from './route-bodies.js';

/** What of Fastify the module touches (typed here, so that an Express app needs no Fastify types). */
export interface FastifyApp {
  addHook(name: 'onRoute', hook: (route: FastifyRoute) => void): unknown;
}

interface FastifyRoute {
  readonly url: string;
  readonly method: string | readonly string[];
  preParsing?: FastifyHook | FastifyHook[];
  preValidation?: FastifyHook | FastifyHook[];
}

interface FastifyRequest {
  readonly raw: IncomingMessage;
  /** Fastify's setter adds these over Node's headers, for what Fastify reads next; `undefined` removes them. */
  headers: IncomingHttpHeaders | undefined;
}

type PreParsingHook = (request: FastifyRequest, reply: { readonly raw: ServerResponse }, payload: unknown) => Promise<unknown>;
type FastifyHook = PreParsingHook | ((request: FastifyRequest, reply: unknown, done: () => void) => void);

/** The headers that tell Fastify a request has no body to parse: the route reads it itself. */
const BODY_READ: IncomingHttpHeaders = { 'content-type': undefined, 'content-length': '0', 'transfer-encoding': undefined };

/** Synchronous (Fastify's callback form): no promise per callback on the hot path for one assignment. */
function restoreHeaders(request: FastifyRequest, _reply: unknown, done: () => void): void {
  request.headers = undefined;
  done();
}

/** Records the path of every route the app registers from now on (Fastify keeps no list of them to read later). */
export function recordFastifyRoutes(app: FastifyApp): string[] {
  const paths: string[] = [];
  app.addHook('onRoute', (route) => paths.push(route.url));
  return paths;
}

/**
 * Gives each of the module's body routes, as Fastify registers it, a `preParsing` hook that reads the
 * body as the Express path does, and then lets Fastify take the request for one without a body, so
 * that no parser of the app's (JSON, form) reads or refuses it first. Fastify sees the real headers
 * again from `preValidation` on: guards, interceptors and the route see the request as it came.
 */
export function readBeforeFastifyParses(app: FastifyApp, routes: readonly BodyRoute[], store: (req: IncomingMessage, body: RawBody) => void): void {
  const readers = routes.map((route) => ({ route, read: rawBodyReader(route.body) }));
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat().map((method) => method.toLowerCase());
    const reader = readers.find(({ route: ours }) => route.url.endsWith(ours.path) && ours.methods.some((method) => methods.includes(method)));
    if (!reader) return;
    const read: PreParsingHook = async (request, reply, payload) => {
      store(request.raw, await reader.read(request.raw, reply.raw));
      request.headers = BODY_READ;
      return payload;
    };
    route.preParsing = [...[route.preParsing ?? []].flat(), read];
    route.preValidation = [restoreHeaders, ...[route.preValidation ?? []].flat()];
  });
}
