import { jsonOutcome, type StoredOutcome, toHttpAnswer, toWebResponse } from '../src/index.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const outcome: StoredOutcome = { status: 201, headers: { 'content-type': JSON_TYPE }, body: '{"id":"inv_1"}', context: { invoice: 'inv_1' } };

describe('the HTTP answer for what the guard did', () => {
  it('answers a handler that ran with its own outcome', () => {
    expect(toHttpAnswer({ kind: 'executed', outcome })).toEqual({ ...outcome, replayed: false });
  });

  it('replays a stored outcome as it was, marked Idempotent-Replayed: true', () => {
    expect(toHttpAnswer({ kind: 'replayed', outcome })).toEqual({
      ...outcome,
      headers: { 'content-type': JSON_TYPE, 'idempotent-replayed': 'true' },
      replayed: true,
    });
    expect(outcome.headers).toEqual({ 'content-type': JSON_TYPE });
  });

  it.each([
    [{ kind: 'in-flight', leaseRemainingMs: 29_000 } as const, 409, 'Conflict', 'A request with this idempotency key is still being processed; retry later.', '1'],
    [{ kind: 'mismatch' } as const, 422, 'Unprocessable Entity', 'This idempotency key was already used for a different request.', undefined],
    [{ kind: 'unavailable', stage: 'claim' } as const, 503, 'Service Unavailable', 'The idempotency check is unavailable, so nothing was processed; retry later.', '5'],
    [{ kind: 'unavailable', stage: 'complete' } as const, 503, 'Service Unavailable', 'The request could not be confirmed; retry it with the same idempotency key.', '5'],
  ])('refuses %j with %i, a Nest-shaped JSON error and its Retry-After', (result, status, error, message, retryAfter) => {
    expect(toHttpAnswer(result)).toStrictEqual({
      status,
      headers: { 'content-type': JSON_TYPE, ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }) },
      body: JSON.stringify({ statusCode: status, error, message }),
      replayed: false,
    });
  });
});

describe("a handler's outcome, serialized once", () => {
  it('writes a returned value as JSON', () => {
    expect(jsonOutcome(200, { amount: '0.00041667' })).toEqual({ status: 200, headers: { 'content-type': JSON_TYPE }, body: '{"amount":"0.00041667"}' });
  });

  it('writes nothing, and no content type, for a handler that returned nothing', () => {
    expect(jsonOutcome(204, undefined)).toEqual({ status: 204, headers: {}, body: '' });
  });
});

describe('the web Response sent', () => {
  it('carries the status, the headers and the body', async () => {
    const response = toWebResponse({ status: 201, headers: { 'content-type': JSON_TYPE, 'idempotent-replayed': 'true' }, body: '{"id":1}', replayed: true });
    expect([response.status, response.headers.get('content-type'), response.headers.get('idempotent-replayed'), await response.text()]).toEqual([
      201,
      JSON_TYPE,
      'true',
      '{"id":1}',
    ]);
  });

  it.each([204, 205, 304])('sends no body with a %i, whatever was stored', (status) => {
    expect(toWebResponse({ status, headers: {}, body: 'ignored', replayed: false }).body).toBeNull();
  });

  it('sends no body for an empty one', () => {
    expect(toWebResponse({ status: 200, headers: {}, body: '', replayed: false }).body).toBeNull();
  });
});
