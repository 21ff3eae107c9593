import { BadRequestException, type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, map, type Observable } from 'rxjs';
import { IdempotencyGuardService } from '../guard/idempotency-guard.service.js';
import { IdempotencyKeyError, type IdempotencyKey } from '../keys/idempotency-key.js';
import { jsonOutcome, toHttpAnswer, toWebResponse } from './http-answer.js';
import { fingerprintOfRequest, type IdempotentRequest } from './idempotent-request.js';
import { IDEMPOTENT_ROUTE, type IdempotentRouteOptions } from './idempotent-route.js';

/**
 * The HTTP face of `IdempotencyGuardService` for routes marked `@Idempotent()`: the first response (status
 * and JSON body) is stored and replayed byte for byte; refusals (409, 422, 503) are answered here.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  // Explicit tokens: the classes stay value imports, so DI does not depend on emitted decorator metadata.
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(IdempotencyGuardService) private readonly guard: IdempotencyGuardService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const route = this.reflector.get<IdempotentRouteOptions | undefined>(IDEMPOTENT_ROUTE, context.getHandler());
    const request = context.switchToHttp().getRequest<IdempotentRequest>();
    const key = route && keyOf(route, request);
    if (!route || !key) return next.handle();

    const fingerprint = (route.fingerprint ?? fingerprintOfRequest)(request);
    const status = this.successStatus(context, request);
    const handle = async () => jsonOutcome(status, await lastValueFrom(next.handle(), { defaultValue: undefined }));
    return from(this.guard.run(key, fingerprint, handle)).pipe(map((result) => toWebResponse(toHttpAnswer(result))));
  }

  /** What Nest would answer: `@HttpCode()`, else 201 for POST and 200 otherwise. */
  private successStatus(context: ExecutionContext, request: IdempotentRequest): number {
    const declared = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler());
    return declared ?? (request.method === 'POST' ? 201 : 200);
  }
}

function keyOf(route: IdempotentRouteOptions, request: IdempotentRequest): IdempotencyKey | undefined {
  try {
    return route.key(request);
  } catch (error) {
    if (error instanceof IdempotencyKeyError) throw new BadRequestException(error.message);
    throw error;
  }
}
