import { Logger } from '@nestjs/common';
import { type HttpRequest, routePatternOf } from './platform.js';

const logger = new Logger('PaymentsApi');

/**
 * One line for every client error of the payments API (4xx): method, route (the pattern, so no id or
 * query value), status and the reason given to the caller. The reason is our own message, as the
 * caller gets it: never a body or a token.
 */
export function logRefusal(req: HttpRequest, status: number, reason: string | readonly string[] | undefined, route = routePatternOf(req)): void {
  const text = Array.isArray(reason) ? reason.join('; ') : (reason ?? '');
  logger.log(`${req.method} ${route} answered ${status}: ${text}`);
}
