import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, usePaymentsApp } from './support/payments-app.js';

/** Issue 18 §5: a query means what it says, or is refused naming what is wrong. */
describe('API query parameters', () => {
  const harness = usePaymentsApp();
  const get = (path: string) => request(harness().app.getHttpServer()).get(path).set(AUTH);
  const message = (res: request.Response) => (res.body as { message: string[] }).message.join('\n');

  it.each(['0x10', '1e2', ' 5', '16.0', '+5'])('refuses limit=%j: only decimal digits are a page size', async (limit) => {
    const res = await get(`/v1/deliveries?limit=${encodeURIComponent(limit)}`);
    expect(res.status).toBe(400);
    expect(message(res)).toContain('limit must be a whole number from 1 to 500, written in decimal digits');
  });

  it.each(['0x10', '1e2', ' 5'])('refuses limit=%j on the webhook deliveries too', async (limit) => {
    const res = await get(`/v1/webhook-deliveries?limit=${encodeURIComponent(limit)}`);
    expect(res.status).toBe(400);
    expect(message(res)).toContain('limit must be a whole number from 1 to');
  });

  it('still reads limit=16 as 16', async () => {
    expect((await get('/v1/deliveries?limit=16')).status).toBe(200);
  });

  it.each([
    ['/v1/deliveries?constructor=x', '"constructor"'],
    ['/v1/deliveries?limit=5&verbose=1', '"verbose"'],
    ['/v1/invoices?orderId=o-1&toString=x', '"toString"'],
  ])('refuses %s, naming the parameter and the accepted ones', async (path, name) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(message(res)).toContain(`query parameter ${name} is not accepted; accepted: `);
  });
});
