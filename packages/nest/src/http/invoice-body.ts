import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type Observable } from 'rxjs';
import { JSON_TYPES, strictJsonBody } from './json-body.js';
import { type HttpRequest, incomingOf } from './platform.js';
import { routeBodyOf } from './route-bodies.js';

/** The invoice API, whose JSON bodies are parsed strictly. */
export const INVOICES_PATH = '/v1/invoices';
export const INVOICE_BODY_LIMIT = '100kb';
/** What the strict parser takes; any other type is left unread, for it to refuse (415). */
export const INVOICE_BODY_TYPES = JSON_TYPES;

/**
 * The API's JSON body, read strictly ({@link strictJsonBody}) from the bytes read ahead of the app's
 * parsers (`RouteBodies`), for the route's pipes and `@Body()`. An interceptor, not a middleware: on
 * Fastify, middleware runs before a body is read. So the caller is authenticated first, and a refusal
 * goes through the controller's exception filter (and its log line) like any other. Routes without a
 * body of theirs (the reads, the action routes) are passed through.
 */
@Injectable()
export class StrictJsonBody implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<HttpRequest>();
    const body = routeBodyOf(incomingOf(req));
    if (body) req.body = strictJsonBody(req, body);
    return next.handle();
  }
}
