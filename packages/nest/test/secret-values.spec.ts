import { describe, expect, it } from '@jest/globals';
import { RecordingLogger } from '@cryptopay/test-servers';
import request from 'supertest';
import { API_TOKEN, AUTH, usePaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

const base64 = (text: string) => Buffer.from(text).toString('base64');

/**
 * Issue 18 §4: redaction by parameter name misses a secret sent under another name (`?secret[]=…`);
 * every configured secret value — the providers' and the API tokens — is removed wherever it shows,
 * raw, URL-encoded or base64, from what is logged and stored.
 */
describe('configured secret values in logged and stored callbacks', () => {
  const logger = new RecordingLogger();
  const harness = usePaymentsApp({ logger });
  const server = () => harness().app.getHttpServer();
  const logged = async () =>
    ((await request(server()).get('/v1/deliveries?limit=100').set(AUTH)).body as { deliveries: { target: string; headers: Record<string, string>; body: string }[] }).deliveries;

  it('removes the callback secret and an API token under any name, raw, URL-encoded or base64, from the entry and the warn line', async () => {
    const res = await request(server())
      .post(`/v1/callbacks/testpay?secret[]=${TEST_SECRET}&echo=${encodeURIComponent(API_TOKEN)}`)
      .set({ 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': `probe ${base64(TEST_SECRET)}` })
      .send(`note=${encodeURIComponent(API_TOKEN)}&again=${base64(TEST_SECRET).replace(/=+$/, '')}`);
    expect(res.status).toBe(401); // `secret[]` is no secret parameter: none was given

    const stored = JSON.stringify(await logged());
    const warned = logger.at('warn').join('\n');
    expect(warned).toContain('testpay callback rejected (401)');
    for (const text of [stored, warned]) {
      for (const secret of [TEST_SECRET, API_TOKEN, base64(TEST_SECRET).replace(/=+$/, ''), encodeURIComponent(API_TOKEN)]) expect(text).not.toContain(secret);
    }
    expect(stored).toContain('secret[]=[redacted]');
  });

  it('removes it from the full record of an authenticated callback too', async () => {
    const target = `/v1/callbacks/testpay?secret=${TEST_SECRET}&addr=nobody&txid=t2&value=1&status=2&copy=${TEST_SECRET}`;
    expect((await request(server()).get(target)).status).toBe(200);
    const [entry] = await logged();
    expect(entry!.target).toBe('/v1/callbacks/testpay?secret=[redacted]&addr=nobody&txid=t2&value=1&status=2&copy=[redacted]');
  });
});
