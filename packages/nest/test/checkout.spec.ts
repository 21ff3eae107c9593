import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CheckoutConfigError } from '../src/index.js';
import { resolveCheckoutOptions } from '../src/checkout/checkout.options.js';
import { get } from 'node:http';
import { type AddressInfo } from 'node:net';
import { eventually, testDatabaseUrl } from '@cryptopay/test-servers';
import { AUTH, PUBLIC_URL, startPaymentsApp, usePaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

/** PostgreSQL, each app in a schema of its own: faster to start than PGlite, which the rest of the suite covers. */
const databaseUrl = testDatabaseUrl();

type Body = Record<string, unknown> & { id: string; address: string; amountDue: string };

async function createInvoice(app: INestApplication, extra: Record<string, unknown> = {}, prefix = ''): Promise<request.Response> {
  return request(app.getHttpServer())
    .post(`${prefix}/v1/invoices`)
    .set(AUTH)
    .send({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId: 'order-checkout', metadata: { customer: 'c-secret' }, ...extra });
}

describe('the checkout routes (no browser)', () => {
  const harness = usePaymentsApp({ databaseUrl, checkout: { pollIntervalMs: 100, rateLimit: 40, rateWindowMs: 60_000 } });
  const server = () => harness().app.getHttpServer();

  it('gives each invoice its checkoutUrl and keeps the redirectUrl it was created with', async () => {
    const created = await createInvoice(harness().app, { redirectUrl: 'https://shop.example.com/orders/7?paid=1' });
    expect(created.status).toBe(201);
    const body = created.body as Body;
    expect(body['checkoutUrl']).toBe(`${PUBLIC_URL}/checkout/${body.id}`);
    expect(body['redirectUrl']).toBe('https://shop.example.com/orders/7?paid=1');
    const read = (await request(server()).get(`/v1/invoices/${body.id}`).set(AUTH)).body as Body;
    expect(read).toMatchObject({ checkoutUrl: body['checkoutUrl'], redirectUrl: body['redirectUrl'] });
  });

  it.each(['javascript:alert(1)', 'ftp://shop.example.com/', 'https://user:pw@shop.example.com/', '/relative', 'https://shop.example.com/a b'])(
    'refuses the redirectUrl %s with a 400 naming the field',
    async (redirectUrl) => {
      const refused = await createInvoice(harness().app, { redirectUrl });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain('redirectUrl must be an http(s) URL');
    },
  );

  it('answers /status with the public fields only, amounts as exact decimal strings', async () => {
    const invoice = (await createInvoice(harness().app)).body as Body;
    const res = await request(server()).get(`/checkout/${invoice.id}/status`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body as object).sort()).toEqual(
      ['address', 'amountDue', 'amountPaid', 'coin', 'exceptionStatus', 'expiresAt', 'paymentUri', 'remaining', 'secondsLeft', 'status'].sort(),
    );
    expect(res.body).toMatchObject({ status: 'new', amountDue: invoice.amountDue, amountPaid: '0', remaining: invoice.amountDue, paymentUri: `bitcoin:${invoice.address}?amount=${invoice.amountDue}` });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('shows the remainder after a partial payment, and no payment URI once paid', async () => {
    const invoice = (await createInvoice(harness().app)).body as Body;
    // 0.0005 BTC due at the test provider's rate; 20 000 sat paid leaves 0.0003.
    await request(server()).get(`/v1/callbacks/testpay?secret=${TEST_SECRET}&addr=${invoice.address}&txid=tx-part&value=20000&status=2`);
    const partial = (await request(server()).get(`/checkout/${invoice.id}/status`)).body as Body;
    expect(partial).toMatchObject({ amountPaid: '0.0002', remaining: '0.0003', paymentUri: `bitcoin:${invoice.address}?amount=0.0003` });
    await request(server()).get(`/v1/callbacks/testpay?secret=${TEST_SECRET}&addr=${invoice.address}&txid=tx-rest&value=30000&status=2`);
    expect((await request(server()).get(`/checkout/${invoice.id}/status`)).body).toMatchObject({ status: 'settled', remaining: '0', paymentUri: null });
  });

  it('renders the page in words for each state, an overpayment said so', async () => {
    const invoice = (await createInvoice(harness().app)).body as Body;
    const page = async () => (await request(server()).get(`/checkout/${invoice.id}`).set('Accept-Language', 'en')).text;
    expect(await page()).toContain('Waiting for payment');
    await request(server()).get(`/v1/callbacks/testpay?secret=${TEST_SECRET}&addr=${invoice.address}&txid=tx-over&value=80000&status=0`);
    expect(await page()).toContain('Payment received, waiting for confirmations');
    await request(server()).get(`/v1/callbacks/testpay?secret=${TEST_SECRET}&addr=${invoice.address}&txid=tx-over&value=80000&status=2`);
    const overpaid = await page();
    expect(overpaid).toContain('Paid (more than asked)');
    expect(overpaid).not.toContain('c-secret');
    expect(overpaid).not.toContain('order-checkout');
  });

  it('streams the status as server-sent events, the current one first', async () => {
    const invoice = (await createInvoice(harness().app)).body as Body;
    const res = await request(server())
      .get(`/checkout/${invoice.id}/events`)
      .buffer(true)
      .parse((stream, done) => {
        let text = '';
        stream.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\n\n')) (stream as unknown as { destroy(): void }).destroy();
        });
        stream.on('close', () => done(null, text));
      });
    expect(res.headers['content-type']).toContain('text/event-stream');
    expect(res.headers['x-accel-buffering']).toBe('no');
    const event = String(res.body);
    expect(event).toContain('event: status');
    const data = JSON.parse(event.split('\n').find((line) => line.startsWith('data: '))?.slice(6) ?? '{}') as Record<string, unknown>;
    expect(data).toMatchObject({ status: 'new', remaining: invoice.amountDue });
    expect(data['metadata']).toBeUndefined();
  });

  it('answers an unknown or malformed id with 404 on every route, and never takes a write', async () => {
    for (const path of ['/checkout/not-an-id', '/checkout/00000000-0000-4000-8000-000000000000', '/checkout/not-an-id/status', '/checkout/not-an-id/events']) {
      expect((await request(server()).get(path)).status).toBe(404);
    }
    const page = await request(server()).get('/checkout/not-an-id').set('Accept-Language', 'de');
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('Zahlung nicht gefunden');
    const invoice = (await createInvoice(harness().app)).body as Body;
    expect((await request(server()).post(`/checkout/${invoice.id}`).send({})).status).toBe(404);
  });

  it('serves its own script and styles, the accent colour in a file', async () => {
    const css = await request(server()).get('/checkout/assets/theme.css');
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.text).toContain('--accent: #1a56db');
    expect(css.headers['cache-control']).toBe('public, max-age=300');
    expect((await request(server()).get('/checkout/assets/checkout.js')).headers['content-type']).toContain('text/javascript');
  });
});

describe('the checkout rate limit', () => {
  const harness = usePaymentsApp({ databaseUrl, checkout: { rateLimit: 3, rateWindowMs: 60_000 } });

  it('answers 429 past the limit per client', async () => {
    const server = harness().app.getHttpServer();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await request(server).get('/checkout/not-an-id/status')).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
  });
});

describe('mounting the checkout', () => {
  it('is off unless given: no routes, checkoutUrl null', async () => {
    const app = await startPaymentsApp({ databaseUrl });
    try {
      const invoice = (await createInvoice(app.app)).body as Body;
      expect(invoice['checkoutUrl']).toBeNull();
      expect((await request(app.app.getHttpServer()).get(`/checkout/${invoice.id}`)).status).toBe(404);
      expect((await request(app.app.getHttpServer()).get(`/checkout/${invoice.id}`)).headers['content-security-policy']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('mounts at its path, under the global prefix, with its branding', async () => {
    const app = await startPaymentsApp({
      databaseUrl,
      checkout: { path: 'pay', branding: { name: 'Acme <Shop>', logoUrl: 'https://cdn.acme.example/logo.png', accentColor: '#0B6E4F' } },
      configure: (nest) => nest.setGlobalPrefix('api'),
    });
    try {
      const invoice = (await createInvoice(app.app, {}, '/api')).body as Body;
      expect(invoice['checkoutUrl']).toBe(`${PUBLIC_URL}/api/pay/${invoice.id}`);
      const page = await request(app.app.getHttpServer()).get(`/api/pay/${invoice.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Acme &lt;Shop&gt;');
      expect(page.text).not.toContain('Acme <Shop>');
      expect(page.text).toContain('href="/api/pay/assets/checkout.css"');
      expect(page.text).not.toContain('c-secret');
      expect(page.headers['content-security-policy']).toContain("img-src 'self' https://cdn.acme.example");
      expect((await request(app.app.getHttpServer()).get('/api/pay/assets/theme.css')).text).toContain('#0b6e4f');
    } finally {
      await app.close();
    }
  });

  it('ends open event streams when the app shuts down, so the request drain is not held up', async () => {
    const app = await startPaymentsApp({ databaseUrl, checkout: { pollIntervalMs: 100 } });
    const invoice = (await createInvoice(app.app)).body as Body;
    await app.app.listen(0);
    const { port } = app.app.getHttpServer().address() as AddressInfo;
    let text = '';
    const ended = new Promise<string>((resolve, reject) => {
      get(`http://127.0.0.1:${port}/checkout/${invoice.id}/events`, (res) => {
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    // The stream is open and has sent its first event before the app closes.
    await eventually(() => text.includes('event: status'), 'the first status event');
    await app.close();
    expect(await ended).toContain('event: status');
  });

  it('refuses a wrong option at start-up, naming it', () => {
    const refusal = (() => {
      try {
        return resolveCheckoutOptions({ path: '/Bad Path', branding: { accentColor: 'red', colour: 'x' } as never, pollIntervalMs: 5 });
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(CheckoutConfigError);
    const problems = (refusal as CheckoutConfigError).problems.map((problem) => problem.option).sort();
    expect(problems).toEqual(['checkout.branding.accentColor', 'checkout.branding.colour', 'checkout.path', 'checkout.pollIntervalMs']);
    expect(resolveCheckoutOptions(undefined)).toBeNull();
    expect(resolveCheckoutOptions({ enabled: false })).toBeNull();
  });
});
