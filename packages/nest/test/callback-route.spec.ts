import { Agent, request as httpRequest } from 'node:http';
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { listenOnFreePort } from '@cryptopay/test-servers';
import { type CallHandler, type CanActivate, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { type Request } from 'express';
import request from 'supertest';
import { CallbackUrls } from '../src/callbacks/callback-urls.js';
import { AUTH, PUBLIC_URL, summarizedBody, usePaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

interface Entry {
  provider: string;
  verdict: string;
  reason: string | null;
  target: string;
  body: string;
}

const marked = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2)}`;

/** The callback route is an ordinary Nest route, reached however the app routes: under its prefix, through its pipeline. */
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
    const marker = marked('route');
    const res = await request(server()).get(`${path}?secret=wrong&marker=${marker}`);
    expect(res.status).toBe(403);
    expect(await logged(marker)).toEqual([expect.objectContaining({ provider: 'testpay', verdict: 'rejected', reason: 'secret does not match' })]);
  });

  it.each([
    ['PUT', '/v1/callbacks/testpay'],
    ['DELETE', '/v1/callbacks/testpay'],
    ['GET', '/v1/callbacks/testpay/extra'],
  ])('has no route for %s %s: 404, and nothing is logged as a callback', async (method, path) => {
    const marker = marked(`elsewhere-${method}`);
    const res = await request(server())[method.toLowerCase() as 'put' | 'delete' | 'get'](`${path}?secret=${TEST_SECRET}&marker=${marker}`);
    expect(res.status).toBe(404);
    expect(await logged(marker)).toEqual([]);
  });

  it('answers a second path segment that is no provider account 404, naming the path without its query (which may hold the secret)', async () => {
    const res = await request(server()).get(`/v1/callbacks/testpay/extra?secret=${TEST_SECRET}`);
    expect(res.status).toBe(404);
    expect((res.body as { message: string }).message).toBe('Cannot GET /v1/callbacks/testpay/extra');
  });

  it.each([
    ['JSON', 'application/json', '{ "b": 1,\n  "a": 1.10, "a": "dup" }'],
    ['form', 'application/x-www-form-urlencoded', 'b=1&a=1.10&a=dup'],
  ])('hands the adapter a %s body byte for byte, which the app body parsers never touched', async (_case, type, body) => {
    const marker = marked('body');
    const res = await request(server()).post(`/v1/callbacks/testpay?secret=wrong&marker=${marker}`).set('Content-Type', type).send(body);
    expect(res.status).toBe(403);
    expect((await logged(marker)).map((entry) => summarizedBody(entry.body))).toEqual([body]);
  });

  it('needs no API token, while the invoice API still asks for one', async () => {
    expect((await request(server()).get('/v1/callbacks/testpay?secret=wrong')).status).toBe(403);
    expect((await request(server()).get('/v1/invoices/none')).status).toBe(401);
    expect((await request(server()).get('/v1/invoices/none').set(AUTH)).status).toBe(404);
  });

  describe('on a keep-alive connection', () => {
    let port = 0;
    beforeAll(async () => {
      port = await listenOnFreePort(server());
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

describe('the callback route in an app with a global prefix, interceptor, guard and middleware', () => {
  const seen = { middleware: [] as string[], guard: [] as string[], interceptor: [] as string[], guardContentTypes: [] as unknown[] };
  const record = (into: string[]) => (req: Request) => into.push(`${req.method} ${req.originalUrl}`);
  const guard: CanActivate = {
    canActivate: (context: ExecutionContext) => {
      const req = context.switchToHttp().getRequest<Request>();
      record(seen.guard)(req);
      seen.guardContentTypes.push(req.headers['content-type']);
      return req.headers['x-deny'] === undefined;
    },
  };
  const interceptor: NestInterceptor = {
    intercept: (context: ExecutionContext, next: CallHandler) => {
      record(seen.interceptor)(context.switchToHttp().getRequest<Request>());
      return next.handle();
    },
  };
  const harness = usePaymentsApp({
    configure: (app) => {
      app.setGlobalPrefix('api');
      app.use((req: Request, _res: unknown, next: () => void) => {
        record(seen.middleware)(req);
        next();
      });
      app.useGlobalGuards(guard);
      app.useGlobalInterceptors(interceptor);
    },
  });
  const server = () => harness().app.getHttpServer();
  const logged = async (marker: string): Promise<Entry[]> =>
    ((await request(server()).get('/api/v1/deliveries?limit=200').set(AUTH)).body as { deliveries: Entry[] }).deliveries.filter((entry) => entry.target.includes(marker));

  it('serves callbacks under the prefix, through the app middleware, guard and interceptor, with the target as received', async () => {
    const marker = marked('prefixed');
    const target = `/api/v1/callbacks/testpay?secret=wrong&marker=${marker}`;
    const res = await request(server()).get(target);
    expect(res.status).toBe(403);
    for (const stage of [seen.middleware, seen.guard, seen.interceptor]) expect(stage).toContain(`GET ${target}`);
    expect((await logged(marker)).map((entry) => entry.target)).toEqual([`/api/v1/callbacks/testpay?secret=[redacted]&marker=${marker}`]);
  });

  it('serves nothing outside the prefix', async () => {
    const marker = marked('unprefixed');
    expect((await request(server()).get(`/v1/callbacks/testpay?secret=wrong&marker=${marker}`)).status).toBe(404);
    expect(await logged(marker)).toEqual([]);
  });

  it('lets a global guard refuse a callback: the app decides, before any adapter looks at it', async () => {
    const marker = marked('denied');
    expect((await request(server()).get(`/api/v1/callbacks/testpay?secret=wrong&marker=${marker}`).set('X-Deny', '1')).status).toBe(403);
    expect(await logged(marker)).toEqual([]);
  });

  it('reads a POST body byte for byte under the prefix', async () => {
    const marker = marked('prefixed-body');
    const body = '{ "a": 1.10,  "a": 2 }';
    const res = await request(server()).post(`/api/v1/callbacks/testpay?secret=wrong&marker=${marker}`).set('Content-Type', 'application/vnd.test+json').send(body);
    expect(res.status).toBe(403);
    // The app's guard sees the request's own headers, the body read before it on either platform.
    expect(seen.guardContentTypes).toContain('application/vnd.test+json');
    expect((await logged(marker)).map((entry) => summarizedBody(entry.body))).toEqual([body]);
  });

  it('hands providers the callback URL under the prefix, and applies a payment sent to it', async () => {
    expect(harness().app.get(CallbackUrls).forProvider('testpay')).toBe(`${PUBLIC_URL}/api/v1/callbacks/testpay`);
    const created = await request(server())
      .post('/api/v1/invoices')
      .set(AUTH)
      .send({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId: marked('order') });
    expect(created.status).toBe(201);
    const invoice = created.body as { id: string; address: string };
    const paid = await request(server()).get(`/api/v1/callbacks/testpay?secret=${TEST_SECRET}&addr=${invoice.address}&txid=${'cd'.repeat(32)}&value=50000&status=2`);
    expect([paid.status, paid.text]).toEqual([200, 'applied']);
    const read = await request(server()).get(`/api/v1/invoices/${invoice.id}`).set(AUTH);
    expect((read.body as { payments: unknown[] }).payments).toHaveLength(1);
  });

  it('keeps the invoice API body strict under the prefix', async () => {
    const res = await request(server()).post('/api/v1/invoices').set(AUTH).set('Content-Type', 'text/plain').send('{}');
    expect(res.status).toBe(415);
  });
});
