import type { IncomingHttpHeaders } from 'node:http';
import { BadRequestException } from '@nestjs/common';
import { type Fingerprint, requestFingerprint } from '../keys/fingerprint.js';
import { IdempotencyKey } from '../keys/idempotency-key.js';

/** What the guard reads from a request; an Express request satisfies it. */
export interface IdempotentRequest {
  method: string;
  url: string;
  originalUrl?: string;
  headers: IncomingHttpHeaders;
  body?: unknown;
}

/** Builds a request's key, or undefined to let it through unguarded (e.g. the client sent no key). */
export type IdempotencyKeyExtractor<TRequest extends IdempotentRequest = IdempotentRequest> = (
  request: TRequest,
) => IdempotencyKey | undefined;

export type FingerprintExtractor<TRequest extends IdempotentRequest = IdempotentRequest> = (request: TRequest) => Fingerprint;

export interface IdempotencyKeyHeaderOptions<TRequest extends IdempotentRequest> {
  /** The authenticated API caller the key is scoped to. */
  caller: (request: TRequest) => string;
  /** Answer 400 when the header is missing, instead of running unguarded. */
  required?: boolean;
}

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
// The IETF draft makes the key a structured-field string: printable ASCII. 255 keeps logs and keys small.
const HEADER_VALUE = /^[\x20-\x7e]{1,255}$/;

/** The `Idempotency-Key` header, scoped to the API caller. */
export function idempotencyKeyHeader<TRequest extends IdempotentRequest>(
  options: IdempotencyKeyHeaderOptions<TRequest>,
): IdempotencyKeyExtractor<TRequest> {
  return (request) => {
    const value = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (value === undefined) {
      if (options.required) throw new BadRequestException('The Idempotency-Key header is required on this route.');
      return undefined;
    }
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      throw new BadRequestException('The Idempotency-Key header must be one value of 1-255 printable ASCII characters.');
    }
    return IdempotencyKey.apiRequest({ caller: options.caller(request), idempotencyKey: value });
  };
}

/** Method + URL (path and query) + canonical JSON body. */
export const fingerprintOfRequest: FingerprintExtractor = (request) =>
  requestFingerprint(request.method, request.originalUrl ?? request.url, request.body);
