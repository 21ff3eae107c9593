import { describe, expect, it } from '@jest/globals';
import { RecordingLogger } from '@cryptopay/test-servers';
import request from 'supertest';
import { AUTH, usePaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

/**
 * The callback log hides what each adapter declares secret (`secrets.queryParams` and
 * `secrets.bodyFields`), with no list of provider fields in the core.
 */
describe('declared secrets in the callback log', () => {
  const logger = new RecordingLogger();
  const harness = usePaymentsApp({ logger });
  const server = () => harness().app.getHttpServer();

  it('redacts the parameters the adapter declares, also inside a URL-valued parameter, and keeps the others', async () => {
    const nested = encodeURIComponent('https://shop.example/done?session_sig=NESTED-SIG-VALUE&order=7');
    const forged = await request(server()).get(`/v1/callbacks/testpay?secret=wrong-secret-value&session_sig=SIG-VALUE&txid=tx-visible&back=${nested}`);
    expect(forged.status).toBe(403);

    const log = await request(server()).get('/v1/deliveries?provider=testpay').set(AUTH);
    const entry = (log.body as { deliveries: { target: string }[] }).deliveries.find((candidate) => candidate.target.includes('tx-visible'));
    expect(entry?.target).toContain('session_sig=[redacted]');
    expect(entry?.target).toContain('secret=[redacted]');
    expect(entry?.target).toContain('txid=tx-visible');
    for (const secret of ['wrong-secret-value', 'SIG-VALUE', 'NESTED-SIG-VALUE']) expect(entry?.target).not.toContain(secret);
    expect(decodeURIComponent(entry?.target ?? '')).toContain('session_sig=[redacted]&order=7');
  });

  it('redacts the body fields the adapter declares in the stored delivery, GET /v1/deliveries and the process log, applied or refused', async () => {
    const invoice = (await request(server()).post('/v1/invoices').set(AUTH).send({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId: 'order-body-secret' })).body as {
      id: string;
      address: string;
    };
    const post = (provider: string, fields: Record<string, string>) =>
      request(server()).post(`/v1/callbacks/${provider}`).type('form').send(new URLSearchParams(fields).toString());
    const paid = { addr: invoice.address, txid: 'tx-body-secret', value: '50000', status: '2', session_sig: 'BODY-SIG-VALUE' };
    expect((await post('testpay', { ...paid, secret: TEST_SECRET })).text).toBe('applied');
    expect((await post('testpay', { ...paid, secret: 'FORGED-BODY-SECRET' })).status).toBe(403);
    // Not enabled: redacted of every provider's declared fields.
    expect((await post('nobody', { secret: 'PROBE-BODY-SECRET', txid: 'tx-body-secret' })).status).toBe(404);

    const listed = await request(server()).get('/v1/deliveries?limit=100').set(AUTH);
    const shown = (listed.body as { deliveries: { body: string; verdict: string }[] }).deliveries.filter((entry) => entry.body.includes('tx-body-secret'));
    expect(shown.map((entry) => entry.verdict).sort()).toEqual(['applied', 'rejected', 'rejected']);
    expect(shown.find((entry) => entry.verdict === 'applied')?.body).toBe(
      `addr=${invoice.address}&txid=tx-body-secret&value=50000&status=2&session_sig=[redacted]&secret=[redacted]`,
    );
    const stored = JSON.stringify((await harness().store.deliveries.list({ limit: 100 })).deliveries);
    const printed = JSON.stringify(logger.entries);
    for (const secret of [TEST_SECRET, 'BODY-SIG-VALUE', 'FORGED-BODY-SECRET', 'PROBE-BODY-SECRET']) {
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      expect(stored).not.toContain(secret);
      expect(printed).not.toContain(secret);
    }
    expect(stored).toContain('tx-body-secret');
  });
});
