import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, usePaymentsApp } from './support/payments-app.js';

describe('POST /v1/invoices codes and amounts', () => {
  const app = usePaymentsApp();
  const post = (body: Record<string, unknown>) => request(app().app.getHttpServer()).post('/v1/invoices').set(AUTH).send(body);
  const base = { provider: 'testpay', amount: '25.00', currency: 'USD', orderId: 'order-codes' };

  // Fix 2.7: `"coin": "btc"` and `"currency": "usd"` were refused.
  it('accepts coin and currency codes in any case and answers in the canonical upper case', async () => {
    const res = await post({ ...base, coin: 'btc', currency: 'usd' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ coin: 'BTC', fiat: { currency: 'USD' } });
    expect((await post({ ...base, coin: 'Btc', currency: 'uSd' })).status).toBe(201);
  });

  it('gives one message per problem: a JSON number amount is refused once', async () => {
    const res = await post({ ...base, amount: 25 });
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual(['amount must be a decimal string like "25.00" (not a JSON number)']);
    const coin = await post({ ...base, coin: 7 });
    expect(coin.body.message).toEqual(['coin must be a coin code like "BTC" or "USDT_TRC20"']);
  });

  it('still refuses codes that are not codes', async () => {
    expect((await post({ ...base, currency: 'us dollars' })).status).toBe(400);
    expect((await post({ ...base, coin: 'b-t-c' })).status).toBe(400);
  });
});
