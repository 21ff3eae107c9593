import { type IncomingMessage } from 'node:http';
import { type OnModuleInit } from '@nestjs/common';
import { type HttpAdapterHost } from '@nestjs/core';
import express, { type Application, type NextFunction, type Request, type Response } from 'express';
import { type RawBody, type RawBodyOptions, rawBodyReader } from './raw-body.js';

/** A route of the module whose body it reads itself: the end of its path, and how its body is read. */
export interface BodyRoute {
  /** The route's own path, as it ends wherever the app mounts it (global prefix, versions, RouterModule). */
  readonly path: string;
  readonly methods: readonly ('get' | 'post' | 'patch')[];
  readonly body: RawBodyOptions;
}

const bodies = new WeakMap<IncomingMessage, RawBody>();

/** What was read of a request's body on a {@link BodyRoute}, if it is on one. */
export function routeBodyOf(req: IncomingMessage): RawBody | undefined {
  return bodies.get(req);
}

/**
 * Reads the bodies of the module's routes before the app's body parsers can. Nest registers its JSON
 * and form parsers for every route when the app initialises, ahead of any module's middleware, and a
 * parsed body has lost the bytes a callback's signature covers (and the exactness the invoice API
 * needs). So this mounts one handler on the Express app as soon as it exists, ahead of those parsers,
 * and, once Nest has mounted the routes, gives it their paths exactly as mounted. It only reads: what
 * it could not read is left for the route to refuse in the app's own pipeline (guards, interceptors,
 * filters, request logging), and nothing depends on the app calling anything.
 */
export class RouteBodies implements OnModuleInit {
  private readers: express.Router | null = null;

  constructor(
    private readonly host: HttpAdapterHost,
    private readonly routes: readonly BodyRoute[],
  ) {
    // Emitted when the HTTP adapter is created: before `app.init()` registers the app's body parsers.
    // Another platform is refused at `onModuleInit`, where an error stops start-up.
    host.init$.subscribe(() => {
      if (host.httpAdapter?.getType() !== 'express') return;
      host.httpAdapter.getInstance<Application>().use((req: Request, res: Response, next: NextFunction) => (this.readers ? this.readers(req, res, next) : next()));
    });
  }

  /** Runs after Nest has mounted every route. */
  onModuleInit(): void {
    const app = expressAppOf(this.host);
    if (!app) return;
    const readers = express.Router({ caseSensitive: app.enabled('case sensitive routing'), strict: app.enabled('strict routing') });
    for (const route of this.routes) {
      const read = readInto(route.body);
      const paths = mountedPaths(app, route.path);
      // Never expected: a route served without its body read would answer every request 500.
      if (paths.length === 0) throw new Error(`PaymentsModule: no route of the app ends with ${route.path}`);
      for (const path of paths) for (const method of route.methods) readers[method](path, read);
    }
    this.readers = readers;
  }
}

function readInto(options: RawBodyOptions): express.RequestHandler {
  const read = rawBodyReader(options);
  return (req, res, next) => {
    read(req, res).then((body) => {
      bodies.set(req, body);
      next();
    }, next);
  };
}

/** The Express app, or null when the app serves no HTTP (an application context). */
export function expressAppOf(host: HttpAdapterHost): Application | null {
  const adapter = host.httpAdapter;
  if (!adapter) return null;
  if (adapter.getType() !== 'express') throw new TypeError(`PaymentsModule serves HTTP on the Express platform (@nestjs/platform-express), not ${adapter.getType()}`);
  return adapter.getInstance<Application>();
}

/** The paths of the app's routes that end with `path`: where Nest mounted a route of ours. */
export function mountedPaths(app: Application, path: string): string[] {
  const paths = app.router.stack.flatMap((layer) => {
    const mounted: unknown = layer.route?.path;
    return typeof mounted === 'string' && mounted.endsWith(path) ? [mounted] : [];
  });
  return [...new Set(paths)];
}
