import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, usePaymentsApp } from './support/payments-app.js';

/** The callback log hides what each adapter declares secret (`secretQueryParams`), with no list of provider parameters in the core. */
describe('secret query parameters in the callback log', () => {
  const harness = usePaymentsApp();

  it('redacts the parameters the adapter declares, also inside a URL-valued parameter, and keeps the others', async () => {
    const nested = encodeURIComponent('https://shop.example/done?session_sig=NESTED-SIG-VALUE&order=7');
    const forged = await request(harness().app.getHttpServer()).get(`/v1/callbacks/testpay?secret=wrong-secret-value&session_sig=SIG-VALUE&txid=tx-visible&back=${nested}`);
    expect(forged.status).toBe(403);

    const log = await request(harness().app.getHttpServer()).get('/v1/deliveries?provider=testpay').set(AUTH);
    const [entry] = (log.body as { deliveries: { target: string }[] }).deliveries;
    expect(entry?.target).toContain('session_sig=[redacted]');
    expect(entry?.target).toContain('secret=[redacted]');
    expect(entry?.target).toContain('txid=tx-visible');
    for (const secret of ['wrong-secret-value', 'SIG-VALUE', 'NESTED-SIG-VALUE']) expect(entry?.target).not.toContain(secret);
    expect(decodeURIComponent(entry?.target ?? '')).toContain('session_sig=[redacted]&order=7');
  });
});
