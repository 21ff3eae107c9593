import { Logger } from '@nestjs/common';
import { type Request } from 'express';

const logger = new Logger('PaymentsApi');

/**
 * One line for every client error of the payments API (4xx): method, route (the pattern, so no id or
 * query value), status and the reason given to the caller. The reason is our own message, as the
 * caller gets it: never a body or a token.
 */
export function logRefusal(req: Request, status: number, reason: string | readonly string[] | undefined, route = routeOf(req)): void {
  const text = Array.isArray(reason) ? reason.join('; ') : (reason ?? '');
  logger.log(`${req.method} ${route} answered ${status}: ${text}`);
}

/** The route pattern Nest matched (`/v1/invoices/:id`), else the path without its query. */
function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? pattern : `${req.baseUrl}${req.path}`;
}
