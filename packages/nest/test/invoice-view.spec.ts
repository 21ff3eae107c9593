import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, DATABASES, usePaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

describe.each(DATABASES)('the invoice view over %s', (_name, databaseUrl) => {
  const harness = usePaymentsApp({ databaseUrl });

  const server = () => harness().app.getHttpServer();
  const create = async (orderId: string) =>
    (await request(server()).post('/v1/invoices').set(AUTH).send({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId })).body as Record<string, unknown> & {
      id: string;
      address: string;
    };

  it("shows the provider's minimum payment as an exact decimal in coin units, when created and when read back", async () => {
    const created = await create('order-minimum');
    expect(created['minimumPayment']).toBe('0.0001');
    const read = await request(server()).get(`/v1/invoices/${created.id}`).set(AUTH);
    expect((read.body as Record<string, unknown>)['minimumPayment']).toBe('0.0001');
    const found = await request(server()).get('/v1/invoices?orderId=order-minimum').set(AUTH);
    expect((found.body as Record<string, unknown>[]).map((invoice) => invoice['minimumPayment'])).toEqual(['0.0001']);
  });

  it('names the coin of each payment', async () => {
    const invoice = await create('order-coin');
    const paid = await request(server()).get(`/v1/callbacks/testpay?secret=${TEST_SECRET}&addr=${invoice.address}&txid=tx-btc&value=50000&status=2`);
    expect(paid.status).toBe(200);
    const read = (await request(server()).get(`/v1/invoices/${invoice.id}`).set(AUTH)).body as Record<string, unknown>;
    expect(read).toMatchObject({ coin: 'BTC', amountPaid: '0.0005', payments: [{ coin: 'BTC', txid: 'tx-btc', amount: '0.0005' }] });
  });
});
