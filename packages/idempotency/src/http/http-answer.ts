import { STATUS_CODES } from 'node:http';
import type { GuardResult } from '../guard/guard-result.js';
import type { StoredOutcome } from '../store/idempotency-store.js';

/** An HTTP answer for a guard result: the outcome itself, or a refusal the sender should retry after. */
export interface HttpAnswer extends StoredOutcome {
  /** True when this answers a duplicate with the stored outcome (sent as `Idempotent-Replayed: true`). */
  replayed: boolean;
}

/** In-flight requests mostly finish well within a second; asking for the whole lease would stall clients. */
const IN_FLIGHT_RETRY_AFTER_S = '1';
const UNAVAILABLE_RETRY_AFTER_S = '5';

const REFUSALS = {
  'in-flight': 'A request with this idempotency key is still being processed; retry later.',
  mismatch: 'This idempotency key was already used for a different request.',
  'unavailable-claim': 'The idempotency check is unavailable, so nothing was processed; retry later.',
  'unavailable-complete': 'The request could not be confirmed; retry it with the same idempotency key.',
} as const;

/** One mapping for every HTTP caller: the `@Idempotent()` interceptor and the callback pipeline alike. */
export function toHttpAnswer(result: GuardResult): HttpAnswer {
  switch (result.kind) {
    case 'executed':
      return { ...result.outcome, replayed: false };
    case 'replayed':
      return { ...result.outcome, headers: { ...result.outcome.headers, 'idempotent-replayed': 'true' }, replayed: true };
    case 'in-flight':
      return refusal(409, REFUSALS['in-flight'], IN_FLIGHT_RETRY_AFTER_S);
    case 'mismatch':
      return refusal(422, REFUSALS.mismatch);
    case 'unavailable':
      return refusal(503, REFUSALS[`unavailable-${result.stage}`], UNAVAILABLE_RETRY_AFTER_S);
  }
}

/** Shaped like Nest's own error bodies, so clients parse every error the same way. */
function refusal(status: number, message: string, retryAfterSeconds?: string): HttpAnswer {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (retryAfterSeconds) headers['retry-after'] = retryAfterSeconds;
  const body = JSON.stringify({ statusCode: status, error: STATUS_CODES[status], message });
  return { status, headers, body, replayed: false };
}

/** The outcome of a handler that returned `value`, serialized once so a replay sends the very same bytes. */
export function jsonOutcome(status: number, value: unknown): StoredOutcome {
  if (value === undefined) return { status, headers: {}, body: '' };
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

const BODILESS_STATUSES = new Set([204, 205, 304]);

/** A web Response: Nest 12 sends its status, headers and body as they are. */
export function toWebResponse(answer: HttpAnswer): Response {
  const body = BODILESS_STATUSES.has(answer.status) || answer.body === '' ? null : answer.body;
  return new Response(body, { status: answer.status, headers: answer.headers });
}
