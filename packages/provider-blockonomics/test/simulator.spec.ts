import { createServer, type Server } from 'node:http';
import { listenOnFreePort } from '@cryptopay/test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { retryDelaysMs, type BlockonomicsSimulator } from '../src/simulator/index.js';
import { API_KEY, startSimulator } from './support.js';

/** A merchant endpoint answering a scripted sequence of statuses (then 200), recording the URLs it got. */
class MerchantEndpoint {
  readonly received: string[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly statuses: number[],
  ) {}

  static async start(statuses: number[] = []): Promise<MerchantEndpoint> {
    const server = createServer();
    const port = await listenOnFreePort(server);
    const endpoint = new MerchantEndpoint(server, `http://127.0.0.1:${port}/cb?secret=s1`, statuses);
    server.on('request', (request, response) => {
      endpoint.received.push(request.url ?? '');
      response.writeHead(endpoint.statuses.shift() ?? 200).end();
    });
    return endpoint;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let simulator: BlockonomicsSimulator;
const endpoints: MerchantEndpoint[] = [];

async function endpoint(statuses: number[] = []): Promise<MerchantEndpoint> {
  const started = await MerchantEndpoint.start(statuses);
  endpoints.push(started);
  return started;
}

function api(path: string, init: RequestInit = {}, key = API_KEY): Promise<Response> {
  return fetch(`${simulator.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers } });
}

async function issueAddress(callbackUrl: string, crypto = 'BTC'): Promise<string> {
  const response = await api(`/api/new_address?match_callback=${encodeURIComponent(callbackUrl)}&crypto=${crypto}`, { method: 'POST' });
  expect(response.status).toBe(200);
  return ((await response.json()) as { address: string }).address;
}

beforeAll(async () => {
  simulator = await startSimulator();
});
afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((e) => e.close()));
});
afterAll(() => simulator.close());

describe('merchant API', () => {
  test('new_address refuses a wrong key with 401', async () => {
    const response = await api('/api/new_address?crypto=BTC', { method: 'POST' }, 'wrong');
    expect(response.status).toBe(401);
  });

  test('new_address hands out a unique address per call, BTC or BCH', async () => {
    const { url } = await endpoint();
    const btc = await Promise.all([1, 2, 3].map(() => issueAddress(url)));
    expect(new Set(btc).size).toBe(3);
    expect(await issueAddress(url, 'BCH')).toMatch(/^bitcoincash:q[0-9a-z]{41}$/);
    expect(simulator.storeUrlOf(btc[0]!)).toBe(url);
  });

  test('price answers the settable price as JSON number text, null when unknown', async () => {
    simulator.setPrice('BTC', 'USD', '70000.123456789');
    expect(await (await api('/api/price?currency=USD&crypto=BTC')).text()).toBe('{"price": 70000.123456789}');
    expect(await (await api('/api/price?currency=XAF&crypto=BTC')).text()).toBe('{"price": null}');
  });
});

describe('callback delivery', () => {
  test('delivers statuses 0, 1, 2 as GET callbacks appended to the store URL', async () => {
    const merchant = await endpoint();
    const address = await issueAddress(merchant.url);
    const payment = await simulator.pay(address, 41_667n, { rbf: 1, txid: 'ab'.repeat(32) });
    expect(merchant.received).toEqual([
      `/cb?secret=s1&status=0&addr=${address}&value=41667&txid=${'ab'.repeat(32)}&rbf=1&crypto=BTC`,
      `/cb?secret=s1&status=1&addr=${address}&value=41667&txid=${'ab'.repeat(32)}&crypto=BTC`,
      `/cb?secret=s1&status=2&addr=${address}&value=41667&txid=${'ab'.repeat(32)}&crypto=BTC`,
    ]);
    expect(payment.deliveries.every((record) => record.delivered)).toBe(true);
  });

  test('retries a non-200 answer until it gets 200', async () => {
    const merchant = await endpoint([500, 503, 403]);
    const address = await issueAddress(merchant.url);
    const { deliveries } = await simulator.pay(address, 1n, { statuses: [2] });
    expect(deliveries[0]?.attempts.map((a) => a.httpStatus)).toEqual([500, 503, 403, 200]);
    expect(deliveries[0]?.delivered).toBe(true);
    expect(new Set(merchant.received).size).toBe(1);
  });

  test('gives up after 7 retries', async () => {
    const merchant = await endpoint(Array(20).fill(404));
    const address = await issueAddress(merchant.url);
    const { deliveries } = await simulator.pay(address, 1n, { statuses: [2] });
    expect(deliveries[0]?.attempts).toHaveLength(8);
    expect(deliveries[0]?.delivered).toBe(false);
  });

  test('retries an unreachable endpoint too, recording the network error', async () => {
    const merchant = await endpoint();
    const address = await issueAddress(merchant.url);
    await merchant.close();
    const { deliveries } = await simulator.pay(address, 1n, { statuses: [2] });
    expect(deliveries[0]?.attempts).toHaveLength(8);
    expect(deliveries[0]?.attempts[0]).toEqual({ httpStatus: null, error: 'ECONNREFUSED' });
  });

  test('waits 4 s, 8 s, 16 s … between retries, scaled by timeScale', () => {
    expect(simulator.retrySchedule).toMatchObject({ maxRetries: 7, firstDelayMs: 4_000 });
    expect(retryDelaysMs({ ...simulator.retrySchedule, timeScale: 1 })).toEqual([4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000]);
  });

  test('one txid can pay two addresses, and statuses can be repeated, skipped or reordered', async () => {
    const merchant = await endpoint();
    const [a, b] = [await issueAddress(merchant.url), await issueAddress(merchant.url)];
    await simulator.payOutputs(
      [
        { address: a, value: 1n },
        { address: b, value: 2n },
      ],
      { statuses: [2, 0], duplicates: 1, sendCrypto: false },
    );
    const seen = merchant.received.map((url) => new URLSearchParams(url.split('?')[1]));
    expect(seen.map((q) => [q.get('status'), q.get('addr'), q.get('value')])).toEqual([
      ['2', a, '1'],
      ['2', a, '1'],
      ['2', b, '2'],
      ['2', b, '2'],
      ['0', a, '1'],
      ['0', a, '1'],
      ['0', b, '2'],
      ['0', b, '2'],
    ]);
    expect(new Set(seen.map((q) => q.get('txid'))).size).toBe(1);
    expect(seen.every((q) => !q.has('crypto'))).toBe(true);
  });
});

describe('sandbox over HTTP', () => {
  test('POST /sandbox/pay pays an issued address and answers once the callbacks are delivered', async () => {
    const merchant = await endpoint();
    const address = await issueAddress(merchant.url);
    const response = await api('/sandbox/pay', { method: 'POST', body: JSON.stringify({ address, value: '123456789012345678901', statuses: [0, 2] }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ delivered: true, callbacks: 2 });
    expect(merchant.received.map((url) => new URLSearchParams(url.split('?')[1]).get('value'))).toEqual(['123456789012345678901', '123456789012345678901']);
  });

  test.each([
    ['a fractional value', { value: '1.5' }, 400],
    ['a bad status list', { value: '1', statuses: [5] }, 400],
    ['an unknown address', { value: '1', address: 'bc1qunknown' }, 404],
  ])('refuses %s', async (_case, body, status) => {
    const merchant = await endpoint();
    const address = await issueAddress(merchant.url);
    const response = await api('/sandbox/pay', { method: 'POST', body: JSON.stringify({ address, ...body }) });
    expect(response.status).toBe(status);
    expect(merchant.received).toEqual([]);
  });

  test('requires the API key', async () => {
    expect((await api('/sandbox/deliveries', {}, 'wrong')).status).toBe(401);
  });

  test('GET /sandbox/deliveries lists deliveries with the secret redacted', async () => {
    const merchant = await endpoint();
    await simulator.pay(await issueAddress(merchant.url), 1n, { statuses: [2] });
    const text = await (await api('/sandbox/deliveries')).text();
    expect(text).toContain('secret=[redacted]');
    expect(text).not.toContain('secret=s1');
  });
});

describe('stores and the Test Bench', () => {
  let strict: BlockonomicsSimulator;
  beforeAll(async () => {
    strict = await startSimulator({ storeCallbackUrls: [] });
  });
  afterAll(() => strict.close());

  const newAddress = (matchCallback: string) =>
    fetch(`${strict.baseUrl}/api/new_address?match_callback=${encodeURIComponent(matchCallback)}`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}` } });

  test('new_address needs an existing store: an unknown callback URL creates none', async () => {
    const response = await newAddress('https://shop.example.com/v1/callbacks/blockonomics?secret=s1');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Could not find matching xpub');
    expect(strict.issuedAddresses()).toEqual([]);
  });

  test('match_callback selects the store whose URL equals it or contains it (partial matches, as the API reference allows)', async () => {
    const shop = 'https://shop.example.com/v1/callbacks/blockonomics?secret=s1';
    const blog = 'https://blog.example.org/hooks/blockonomics?secret=s2';
    const [shopXpub, blogXpub] = [strict.addStore(shop), strict.addStore(blog)];
    const issued = async (matchCallback: string) => {
      const response = await newAddress(matchCallback);
      expect(response.status).toBe(200);
      const { address, account } = (await response.json()) as { address: string; account: string };
      return [strict.storeUrlOf(address), account];
    };
    expect(await issued(shop)).toEqual([shop, shopXpub]);
    expect(await issued('blog.example.org')).toEqual([blog, blogXpub]);
    expect(await issued('shop.example.com/v1/callbacks')).toEqual([shop, shopXpub]);
    expect((await newAddress('https://shop.example.com/v1/callbacks/blockonomics?secret=s3')).status).toBe(400);
  });

  test('POST /sandbox/test-callback is the Test Bench: a test callback to the URL the merchant enters, not to a store', async () => {
    const merchant = await endpoint();
    const response = await fetch(`${strict.baseUrl}/sandbox/test-callback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ url: merchant.url, address: 'bc1qtestbench', value: '5000', status: 1 }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ delivered: true, attempts: 1 });
    expect(merchant.received).toEqual(['/cb?secret=s1&status=1&addr=bc1qtestbench&value=5000&txid=WarningThisIsAGeneratedTestPaymentAndNotARealBitcoinTransaction&crypto=BTC']);
  });

  test.each([
    ['no url', {}, 'url is required'],
    ['a url that is not http(s)', { url: 'ftp://shop.example.com/cb' }, 'url is required'],
    ['a fractional value', { url: 'http://127.0.0.1:1/cb', value: '1.5' }, 'value must be a whole number'],
    ['a bad status', { url: 'http://127.0.0.1:1/cb', status: 3 }, 'status must be -1, 0, 1 or 2'],
  ])('the Test Bench refuses %s with 400, sending nothing', async (_case, body, message) => {
    const before = strict.deliveries.length;
    const response = await fetch(`${strict.baseUrl}/sandbox/test-callback`, { method: 'POST', headers: { authorization: `Bearer ${API_KEY}` }, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain(message);
    expect(strict.deliveries).toHaveLength(before);
  });
});

test('close() stops the server', async () => {
  const own = await startSimulator();
  await own.close();
  await expect(fetch(`${own.baseUrl}/api/price`)).rejects.toThrow();
});
