import { type CallHandler, type ExecutionContext, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import { type Request, type Response } from 'express';
import { type Observable } from 'rxjs';

/** The platform's access log, for every route of the app: one line per request once it is answered. */
@Injectable()
export class RequestLogInterceptor implements NestInterceptor {
  private readonly logger = new Logger('HTTP');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const started = performance.now();
    // On 'finish', so the status is the one sent, also when an exception filter answered. The path
    // only: a query string may carry a secret (Blockonomics' callback `secret`).
    response.once('finish', () => {
      this.logger.log(`${request.method} ${request.path} ${response.statusCode} ${Math.round(performance.now() - started)}ms`);
    });
    return next.handle();
  }
}
