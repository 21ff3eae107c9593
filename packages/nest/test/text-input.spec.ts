import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, DATABASES, summarizedBody, usePaymentsApp } from './support/payments-app.js';
import { TestPayAdapter } from './support/test-provider.js';

/** Text PostgreSQL cannot store (a NUL) or would silently rewrite (a lone surrogate) is the caller's 400, named. */
describe.each(DATABASES)('text input the database cannot keep, over %s', (_name, databaseUrl) => {
  const harness = usePaymentsApp({ databaseUrl });

  const server = () => harness().app.getHttpServer();
  const create = (extra: Record<string, unknown>) =>
    request(server()).post('/v1/invoices').set(AUTH).send({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId: 'order-text', ...extra });
  const messages = (res: request.Response) => ((res.body as { message: string[] }).message ?? []).join('\n');

  it.each([
    [{ orderId: 'a\u0000b' }, 'orderId must not contain a NUL character'],
    [{ orderId: 'a\u0007b' }, 'orderId must not contain control characters'],
    [{ orderId: 'a\ud800' }, 'orderId must be well-formed Unicode'],
    [{ metadata: { note: 'a\u0000b' } }, 'metadata.note must not contain a NUL character'],
    [{ metadata: { deep: { note: 'x\udc00' } } }, 'metadata.deep.note must be well-formed Unicode'],
    [{ metadata: { 'k\u0000': 'v' } }, 'metadata: a key must not contain a NUL character'],
    [{ metadata: { 'k\n': 'v' } }, 'metadata: a key must not contain control characters'],
  ])('refuses %j with 400 naming the field, before the provider is asked for an address', async (extra, message) => {
    const issued = harness().app.get(TestPayAdapter).addresses.length;
    const res = await create(extra);
    expect(res.status).toBe(400);
    expect(messages(res)).toContain(message);
    expect(harness().app.get(TestPayAdapter).addresses).toHaveLength(issued);
  });

  it('keeps line breaks and tabs in metadata text, and emoji (surrogate pairs) anywhere', async () => {
    const res = await create({ orderId: 'order-😀', metadata: { note: 'line 1\nline 2\tend', emoji: '🧾' } });
    expect(res.status).toBe(201);
    const stored = await request(server()).get(`/v1/invoices/${(res.body as { id: string }).id}`).set(AUTH);
    expect(stored.body).toMatchObject({ orderId: 'order-😀', metadata: { note: 'line 1\nline 2\tend', emoji: '🧾' } });
  });

  it.each([
    ['/v1/invoices?orderId=%00', 'orderId must not contain a NUL character'],
    ['/v1/deliveries?invoiceId=%00', 'invoiceId must not contain a NUL character'],
    ['/v1/deliveries?provider=%00', 'provider must not contain a NUL character'],
    ['/v1/deliveries?provider=a%01', 'provider must not contain control characters'],
  ])('answers GET %s with 400 naming the parameter', async (path, message) => {
    const res = await request(server()).get(path).set(AUTH);
    expect(res.status).toBe(400);
    expect(messages(res)).toContain(message);
  });

  it('logs a forged callback whose body holds NUL and invalid UTF-8 as rejected, with the bytes escaped', async () => {
    const body = Buffer.from([0x61, 0x00, 0x62, 0xff, 0x5c]);
    const forged = await request(server()).post('/v1/callbacks/testpay?secret=forged-nul').set('Content-Type', 'application/octet-stream').send(body);
    expect(forged.status).toBe(403);
    const log = await request(server()).get('/v1/deliveries?provider=testpay&verdict=rejected').set(AUTH);
    const entries = (log.body as { deliveries: { body: string; target: string }[] }).deliveries;
    expect(entries.map((entry) => summarizedBody(entry.body))).toContain('a\\x00b\\xff\\x5c');
  });

  it('logs a forged callback whose valid UTF-8 body holds a NUL, with the NUL escaped', async () => {
    const forged = await request(server()).post('/v1/callbacks/testpay?secret=forged-text').set('Content-Type', 'text/plain').send('nul:\u0000:end');
    expect(forged.status).toBe(403);
    const log = await request(server()).get('/v1/deliveries?provider=testpay&verdict=rejected').set(AUTH);
    const entries = (log.body as { deliveries: { body: string }[] }).deliveries;
    expect(entries.map((entry) => summarizedBody(entry.body))).toContain('nul:\\u0000:end');
  });
});
