import { type IncomingMessage } from 'node:http';
import { type OnModuleInit } from '@nestjs/common';
import { type HttpAdapterHost } from '@nestjs/core';
import express, { type Application, type NextFunction, type Request, type Response } from 'express';
import { type FastifyApp, readBeforeFastifyParses, recordFastifyRoutes } from './fastify-routes.js';
import { type RawBody, type RawBodyOptions, rawBodyReader } from './raw-body.js';

/** A route of the module whose body it reads itself: the end of its path, and how its body is read. */
export interface BodyRoute {
  /** The route's own path, as it ends wherever the app mounts it (global prefix, versions, RouterModule). */
  readonly path: string;
  readonly methods: readonly ('get' | 'post' | 'patch')[];
  readonly body: RawBodyOptions;
}

const bodies = new WeakMap<IncomingMessage, RawBody>();
/** The paths of each Fastify app's routes, recorded as they are registered (Fastify lists none afterwards). */
const fastifyPaths = new WeakMap<object, string[]>();

/** What was read of a request's body on a {@link BodyRoute}, if it is on one (Node's request: `incomingOf`). */
export function routeBodyOf(req: IncomingMessage): RawBody | undefined {
  return bodies.get(req);
}

/**
 * Reads the bodies of the module's routes before the app's body parsers can: a parsed body has lost
 * the bytes a callback's signature covers (and the exactness the invoice API needs). It only reads:
 * what it could not read is left for the route to refuse in the app's own pipeline (guards,
 * interceptors, filters, request logging), and nothing depends on the app calling anything.
 * - Express: Nest registers its JSON and form parsers for every route when the app initialises, ahead
 *   of any module's middleware. So this mounts one handler on the Express app as soon as it exists,
 *   ahead of those parsers, and, once Nest has mounted the routes, gives it their paths exactly as mounted.
 * - Fastify: each of these routes, as it is registered, gets a hook that reads its body before Fastify
 *   would parse it (`fastify-routes.ts`).
 */
export class RouteBodies implements OnModuleInit {
  private readers: express.Router | null = null;

  constructor(
    private readonly host: HttpAdapterHost,
    private readonly routes: readonly BodyRoute[],
  ) {
    // Emitted when the HTTP adapter is created: before `app.init()` registers the app's body parsers
    // and routes. Another platform is refused at `onModuleInit`, where an error stops start-up.
    host.init$.subscribe(() => {
      const adapter = host.httpAdapter;
      if (adapter?.getType() === 'express') {
        adapter.getInstance<Application>().use((req: Request, res: Response, next: NextFunction) => (this.readers ? this.readers(req, res, next) : next()));
      } else if (adapter?.getType() === 'fastify') {
        const app = adapter.getInstance<FastifyApp>();
        fastifyPaths.set(app, recordFastifyRoutes(app));
        readBeforeFastifyParses(app, routes, (req, body) => bodies.set(req, body));
      }
    });
  }

  /** Runs after Nest has mounted every route. */
  onModuleInit(): void {
    const app = expressAppOf(this.host);
    if (!app) return;
    const readers = express.Router({ caseSensitive: app.enabled('case sensitive routing'), strict: app.enabled('strict routing') });
    for (const route of this.routes) {
      const read = readInto(route.body);
      const paths = expressPaths(app, route.path);
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

/** The Express app; null on Fastify or when the app serves no HTTP (an application context). */
function expressAppOf(host: HttpAdapterHost): Application | null {
  const adapter = host.httpAdapter;
  if (!adapter) return null;
  const type = adapter.getType();
  if (type === 'fastify') return null;
  if (type !== 'express') throw new TypeError(`PaymentsModule serves HTTP on Express (@nestjs/platform-express) or Fastify (@nestjs/platform-fastify), not ${type}`);
  return adapter.getInstance<Application>();
}

/** The paths of the app's routes that end with `path`: where Nest mounted a route of ours (global prefix, versions included). */
export function mountedPaths(host: HttpAdapterHost, path: string): string[] {
  const express = expressAppOf(host);
  if (express) return expressPaths(express, path);
  const fastify = fastifyPaths.get(host.httpAdapter?.getInstance<object>() ?? {}) ?? [];
  return [...new Set(fastify.filter((mounted) => mounted.endsWith(path)))];
}

/** Each once: Nest mounts a path once per method. */
function expressPaths(app: Application, path: string): string[] {
  const paths = app.router.stack.flatMap((layer) => {
    const mounted: unknown = layer.route?.path;
    return typeof mounted === 'string' && mounted.endsWith(path) ? [mounted] : [];
  });
  return [...new Set(paths)];
}
