import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type HttpRequest } from './platform.js';
import { type Observable, tap } from 'rxjs';
import { logRefusal } from './refusal-log.js';

/**
 * Logs the client errors a route answers as a web `Response` rather than by throwing (the
 * idempotency guard's 409 and 422), which no exception filter sees.
 */
@Injectable()
export class RefusalLogInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<HttpRequest>();
    return next.handle().pipe(
      tap((answer) => {
        if (isClientError(answer)) void logAnswer(req, answer);
      }),
    );
  }
}

function isClientError(answer: unknown): answer is Response {
  const status = (answer as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && typeof (answer as { clone?: unknown }).clone === 'function';
}

async function logAnswer(req: HttpRequest, answer: Response): Promise<void> {
  const body = (await answer.clone().json().catch(() => ({}))) as { message?: string | string[] };
  logRefusal(req, answer.status, body.message);
}
