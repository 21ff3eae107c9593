import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { satoshi, useGatewayWithOwnRedis } from './support/gateway-harness.js';
import { eventually } from '@cryptopay/test-servers';

describe('Redis down: callbacks and idempotent requests answer 503, nothing is applied, and all recovers', () => {
  const suite = useGatewayWithOwnRedis();

  it('retries later instead of acknowledging, then applies the retried delivery once Redis is back', async () => {
    const { gw, redis } = suite();
    const invoice = await gw.createInvoice('blockonomics');
    await redis.stop();

    const refused = await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue), { statuses: [2] });
    expect(refused.deliveries.every((record) => !record.delivered)).toBe(true);
    expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'new', payments: [] });
    const retryLater = await gw.deliveries(`invoiceId=${invoice.id}&verdict=retry-later`);
    expect(retryLater.length).toBeGreaterThan(0);
    expect(retryLater.every((delivery) => delivery.responseStatus === 503)).toBe(true);

    const idempotent = await gw.request('/v1/invoices', {
      method: 'POST',
      headers: { 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ provider: 'blockonomics', amount: '1.00', currency: 'USD', orderId: 'redis-down' }),
    });
    expect(idempotent.status).toBe(503);
    expect((await fetch(`${gw.url}/health/ready`)).status).toBe(503);

    await redis.start();
    await eventually(async () => (await fetch(`${gw.url}/health/ready`)).status === 200, 'the gateway to be ready again');
    const retried = await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue), { txid: refused.txid, statuses: [2] });
    expect(retried.deliveries.every((record) => record.delivered)).toBe(true);
    expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'settled', payments: [{ txid: refused.txid, state: 'confirmed' }] });
  });
});
