import { describe, expect, it } from '@jest/globals';
import { eventually, RecordingLogger } from '@cryptopay/test-servers';
import request from 'supertest';
import { API_TOKEN, AUTH, usePaymentsApp } from './support/payments-app.js';

/** Every client error of the API is in the process log with its reason, and never with a token or a body. */
describe('client errors of the payments API in the log', () => {
  const logger = new RecordingLogger();
  const harness = usePaymentsApp({ logger });

  const server = () => harness().app.getHttpServer();
  const valid = { provider: 'testpay', amount: '25.00', currency: 'USD', orderId: 'order-log' };
  /** Resolves once the refusal's line is written (a web-response refusal is logged after its body is read). */
  const loggedLine = (start: string): Promise<string> =>
    eventually(() => logger.entries.find((candidate) => candidate.text.startsWith(start))?.text, `a log line starting with ${start}`, { intervalMs: 10 });

  it.each([
    [
      'a field the validation refuses',
      () => request(server()).post('/v1/invoices').set(AUTH).send({ ...valid, orderId: 'secret-order\u0000value' }),
      'PaymentsApi POST /v1/invoices answered 400: orderId must not contain a NUL character',
    ],
    ['a coin the provider does not take', () => request(server()).post('/v1/invoices').set(AUTH).send({ ...valid, coin: 'LTC' }), 'PaymentsApi POST /v1/invoices answered 400: provider "testpay" does not accept LTC'],
    ['a wrong token', () => request(server()).get('/v1/invoices?orderId=x').set({ Authorization: 'Bearer wrong-token-0123456789-secret' }), 'PaymentsApi GET /v1/invoices answered 401: the API token is not valid'],
    ['an unknown invoice', () => request(server()).get('/v1/invoices/00000000-0000-4000-8000-000000000000').set(AUTH), 'PaymentsApi GET /v1/invoices/:id answered 404: invoice'],
    ['a body that is not JSON', () => request(server()).post('/v1/invoices').set(AUTH).set('Content-Type', 'text/plain').send('secret-body-text'), 'PaymentsApi POST /v1/invoices answered 415: Content-Type must be application/json'],
    ['a bad page size', () => request(server()).get('/v1/deliveries?limit=0').set(AUTH), 'PaymentsApi GET /v1/deliveries answered 400: limit must not be less than 1'],
  ])('logs %s with method, route, status and reason', async (_case, send, line) => {
    const res = await send();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await loggedLine(line);
  });

  it('logs an Idempotency-Key reused for another request (422)', async () => {
    const key = 'log-key-1';
    expect((await request(server()).post('/v1/invoices').set({ ...AUTH, 'Idempotency-Key': key }).send(valid)).status).toBe(201);
    expect((await request(server()).post('/v1/invoices').set({ ...AUTH, 'Idempotency-Key': key }).send({ ...valid, amount: '26.00' })).status).toBe(422);
    await loggedLine('PaymentsApi POST /v1/invoices answered 422: This idempotency key was already used for a different request.');
  });

  it('never logs a token, a body or a refused value', () => {
    const all = logger.entries.map((line) => `${line.text} ${String(line.stack)}`).join('\n');
    for (const secret of [API_TOKEN, 'wrong-token-0123456789-secret', 'secret-order', 'secret-body-text']) expect(all).not.toContain(secret);
  });
});
