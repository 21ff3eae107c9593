import { Agent, request as httpRequest } from 'node:http';
import { type AddressInfo } from 'node:net';
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import request from 'supertest';
import { AUTH, usePaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

interface Entry {
  provider: string;
  verdict: string;
  reason: string | null;
  target: string;
}

/** The callback route is served on the HTTP server ahead of the app's router: it must match as the router did. */
describe('the callback route', () => {
  const harness = usePaymentsApp();
  const server = () => harness().app.getHttpServer();
  const logged = async (marker: string): Promise<Entry[]> =>
    ((await request(server()).get('/v1/deliveries?limit=200').set(AUTH)).body as { deliveries: Entry[] }).deliveries.filter((entry) => entry.target.includes(marker));

  it.each([
    ['a trailing slash', '/v1/callbacks/testpay/'],
    ['another letter case', '/V1/Callbacks/testpay'],
    ['a percent-encoded provider name', '/v1/callbacks/test%70ay'],
  ])('takes a callback path with %s to the provider named', async (_case, path) => {
    const marker = `route-${Math.random().toString(36).slice(2)}`;
    const res = await request(server()).get(`${path}?secret=wrong&marker=${marker}`);
    expect(res.status).toBe(403);
    expect(await logged(marker)).toEqual([expect.objectContaining({ provider: 'testpay', verdict: 'rejected', reason: 'secret does not match' })]);
  });

  it.each([
    ['HEAD', '/v1/callbacks/testpay'],
    ['PUT', '/v1/callbacks/testpay'],
    ['GET', '/v1/callbacks/testpay/extra'],
  ])('leaves %s %s to the app, which has no such route: nothing is logged as a callback', async (method, path) => {
    const marker = `elsewhere-${method}-${Math.random().toString(36).slice(2)}`;
    const res = await request(server())[method.toLowerCase() as 'head' | 'put' | 'get'](`${path}?secret=${TEST_SECRET}&marker=${marker}`);
    expect(res.status).toBe(404);
    expect(await logged(marker)).toEqual([]);
  });

  it('keeps the app serving everything else: the invoice API still authenticates', async () => {
    expect((await request(server()).get('/v1/invoices/none')).status).toBe(401);
    expect((await request(server()).get('/v1/invoices/none').set(AUTH)).status).toBe(404);
  });

  describe('on a keep-alive connection', () => {
    let port = 0;
    beforeAll(async () => {
      await new Promise<void>((resolve) => server().listen(0, '127.0.0.1', resolve));
      port = (server().address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server().close(() => resolve()));
    });

    it('answers a refused body and then the next request on the same connection', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const send = (headers: Record<string, string>, body: string) =>
        new Promise<{ status: number; text: string; socket: unknown }>((resolve, reject) => {
          const req = httpRequest({ port, method: 'POST', path: `/v1/callbacks/testpay?secret=${TEST_SECRET}`, agent, headers }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text, socket: req.socket }));
          });
          req.on('error', reject);
          req.end(body);
        });
      const refused = await send({ 'Content-Type': 'application/json', 'Content-Encoding': 'br2' }, '{"a":1}');
      const next = await send({ 'Content-Type': 'application/json' }, '{}');
      agent.destroy();
      expect(refused.status).toBe(415);
      expect(next.status).toBe(400);
      expect(next.socket).toBe(refused.socket);
    });
  });
});
