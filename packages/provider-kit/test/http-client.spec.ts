import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { listenOnFreePort } from '@cryptopay/test-servers';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { ProviderError, ProviderHttpClient, readJsonBody, Secret, jsonNumberText, asJsonObject, jsonField } from '../src/index.js';

type Reply = (request: IncomingMessage, response: ServerResponse) => void;

/** A real HTTP server answering from a queue of scripted replies, recording each request. */
class ScriptedServer {
  readonly seen: Array<{ method: string; url: string; authorization: string | undefined }> = [];
  /** Each request's headers and body, once its body has been read. */
  readonly received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  private replies: Reply[] = [];
  private constructor(private readonly server: Server, readonly baseUrl: string) {}

  static async start(): Promise<ScriptedServer> {
    const server = createServer();
    const port = await listenOnFreePort(server);
    const scripted = new ScriptedServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      scripted.seen.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization });
      const reply = scripted.replies.shift() ?? status(200, '{}');
      const body: Buffer[] = [];
      request.on('data', (chunk: Buffer) => body.push(chunk));
      request.on('end', () => {
        scripted.received.push({ headers: request.headers, body: Buffer.concat(body).toString('utf8') });
        reply(request, response);
      });
    });
    return scripted;
  }

  script(...replies: Reply[]): void {
    this.replies = replies;
    this.seen.length = 0;
    this.received.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function status(code: number, body: string, headers: Record<string, string> = {}): Reply {
  return (_request, response) => response.writeHead(code, { 'content-type': 'application/json', ...headers }).end(body);
}
const hang: Reply = () => undefined;
/** A 200 streamed in chunks, without Content-Length: its size is known only by counting. */
function streamed(...chunks: string[]): Reply {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    for (const chunk of chunks) response.write(chunk);
    response.end();
  };
}
function redirect(location: string): Reply {
  return (_request, response) => response.writeHead(302, { location }).end();
}

describe('ProviderHttpClient', () => {
  let server: ScriptedServer;
  let client: ProviderHttpClient;
  const apiKey = new Secret('key-that-must-not-leak');

  beforeAll(async () => {
    server = await ScriptedServer.start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    // Generous, so a loaded CI machine never turns a slow first answer into a retry; the timeout test sets its own.
    client = new ProviderHttpClient({ provider: 'demo', baseUrl: `${server.baseUrl}/base`, backoffMs: 1, timeoutMs: 5_000 });
  });

  test('sends the query and a secret header, and returns the body as text', async () => {
    server.script(status(200, '{"price": 64123.45}'));
    const response = await client.request({
      method: 'GET',
      path: '/api/price',
      query: { currency: 'USD', crypto: 'BTC', skipped: undefined },
      headers: { Authorization: new Secret('Bearer k1') },
    });
    expect(server.seen).toEqual([{ method: 'GET', url: '/base/api/price?currency=USD&crypto=BTC', authorization: 'Bearer k1' }]);
    const body = asJsonObject(readJsonBody('demo', response));
    expect(jsonNumberText(jsonField(body!, 'price'))).toBe('64123.45');
  });

  test('retries a GET on 502/503/504 and 429, then returns the answer', async () => {
    server.script(status(503, '{}'), status(429, '{}', { 'retry-after': '0' }), status(200, '{"ok":1}'));
    const response = await client.request({ method: 'GET', path: '/x' });
    expect(response.status).toBe(200);
    expect(server.seen).toHaveLength(3);
  });

  test('stops after maxAttempts and returns the last answer', async () => {
    server.script(status(502, '{}'), status(502, '{}'), status(502, '{"last":true}'), status(200, '{}'));
    const response = await client.request({ method: 'GET', path: '/x' });
    expect(response.status).toBe(502);
    expect(response.text).toBe('{"last":true}');
    expect(server.seen).toHaveLength(3);
  });

  test('never retries a plain 500, which may have had an effect', async () => {
    server.script(status(500, '{}'), status(200, '{}'));
    expect((await client.request({ method: 'GET', path: '/x' })).status).toBe(500);
    expect(server.seen).toHaveLength(1);
  });

  test('never repeats a POST unless the caller marks it idempotent', async () => {
    server.script(status(503, '{}'), status(200, '{}'));
    expect((await client.request({ method: 'POST', path: '/new' })).status).toBe(503);
    expect(server.seen).toHaveLength(1);
    server.script(status(503, '{}'), status(200, '{}'));
    expect((await client.request({ method: 'POST', path: '/new', idempotent: true })).status).toBe(200);
    expect(server.seen).toHaveLength(2);
  });

  test('returns a 429 whose Retry-After is longer than it will wait', async () => {
    server.script(status(429, '{}', { 'retry-after': '3600' }), status(200, '{}'));
    expect((await client.request({ method: 'GET', path: '/x' })).status).toBe(429);
    expect(server.seen).toHaveLength(1);
  });

  test('times out each attempt and reports unavailable without the secret', async () => {
    server.script(hang, hang, hang);
    client = new ProviderHttpClient({ provider: 'demo', baseUrl: `${server.baseUrl}/base`, backoffMs: 1, timeoutMs: 200 });
    const failure = client.request({ method: 'GET', path: '/slow', query: { apikey: apiKey } });
    await expect(failure).rejects.toThrow(ProviderError);
    await failure.catch((error: ProviderError) => {
      expect(error.kind).toBe('unavailable');
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('no answer within 200 ms, 3 attempts');
      expect(error.message).toContain('apikey=[redacted]');
      expect(error.message).not.toContain('key-that-must-not-leak');
    });
    expect(server.seen).toHaveLength(3);
  });

  test('reports an unreachable host as unavailable', async () => {
    const closed = await ScriptedServer.start();
    await closed.close();
    const offline = new ProviderHttpClient({ provider: 'demo', baseUrl: closed.baseUrl, backoffMs: 1, maxAttempts: 2 });
    await expect(offline.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({ kind: 'unavailable', message: expect.stringContaining('ECONNREFUSED') });
  });

  test('refuses an oversized response as invalid-response', async () => {
    const small = new ProviderHttpClient({ provider: 'demo', baseUrl: server.baseUrl, maxResponseBytes: 10 });
    server.script(status(200, '{"padding":"0123456789"}'));
    await expect(small.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({ kind: 'invalid-response' });
  });

  test('reports a body that is not JSON as invalid-response naming the redacted URL', async () => {
    server.script(status(200, '<html>captcha</html>'));
    const response = await client.request({ method: 'GET', path: '/x', query: { apikey: apiKey } });
    expect(() => readJsonBody('demo', response)).toThrow(/demo: .*apikey=\[redacted\] answered HTTP 200 with a body that is not JSON/);
    expect(() => readJsonBody('demo', response)).toThrow(expect.objectContaining({ kind: 'invalid-response', httpStatus: 200 }));
  });

  test('sends a POST body, asks for JSON, and lets the caller replace the Accept header', async () => {
    server.script(status(200, '{}'), status(200, '{}'));
    await client.request({ method: 'POST', path: '/new', body: '{"amount":"0.001"}', headers: { 'Content-Type': 'application/json' } });
    await client.request({ method: 'GET', path: '/csv', headers: { Accept: 'text/csv' } });
    expect(server.received.map(({ headers, body }) => [headers['accept'], headers['content-type'], body])).toEqual([
      ['application/json', 'application/json', '{"amount":"0.001"}'],
      ['text/csv', undefined, ''],
    ]);
  });

  test('resolves a path without its leading slash, against a base URL that ends in one', async () => {
    const slashed = new ProviderHttpClient({ provider: 'demo', baseUrl: `${server.baseUrl}/base/`, backoffMs: 1 });
    server.script(status(200, '{}'), status(200, '{}'));
    await slashed.request({ method: 'GET', path: 'api/price' });
    await slashed.request({ method: 'GET', path: '/api/price' });
    expect(server.seen.map(({ url }) => url)).toEqual(['/base/api/price', '/base/api/price']);
  });

  test('redacts the parameters named in secretParams as well as those passed as Secrets', async () => {
    const named = new ProviderHttpClient({ provider: 'demo', baseUrl: server.baseUrl, secretParams: ['token'] });
    server.script(status(200, '{}'));
    const response = await named.request({ method: 'GET', path: '/x', query: { token: 'plain-token', apikey: apiKey, a: '1' } });
    expect(response.safeUrl).toBe(`${server.baseUrl}/x?token=[redacted]&apikey=[redacted]&a=1`);
    expect(server.seen[0]!.url).toBe('/x?token=plain-token&apikey=key-that-must-not-leak&a=1');
  });

  test('waits for a Retry-After of exactly the longest delay it accepts', async () => {
    const patient = new ProviderHttpClient({ provider: 'demo', baseUrl: server.baseUrl, backoffMs: 1, maxRetryDelayMs: 0 });
    server.script(status(429, '{}', { 'retry-after': '0' }), status(200, '{}'));
    expect((await patient.request({ method: 'GET', path: '/x' })).status).toBe(200);
    expect(server.seen).toHaveLength(2);
  });

  test('by default tries a safe request three times', async () => {
    const defaults = new ProviderHttpClient({ provider: 'demo', baseUrl: server.baseUrl });
    server.script(status(503, '{}'), status(503, '{}'), status(503, '{"last":true}'), status(200, '{}'));
    const response = await defaults.request({ method: 'GET', path: '/x' });
    expect([response.status, response.text]).toEqual([503, '{"last":true}']);
    expect(server.seen).toHaveLength(3);
  });

  test('tries an unreachable host again, and says how often it tried', async () => {
    const closed = await ScriptedServer.start();
    await closed.close();
    const offline = new ProviderHttpClient({ provider: 'demo', baseUrl: closed.baseUrl, backoffMs: 1, maxAttempts: 2 });
    await expect(offline.request({ method: 'GET', path: '/x' })).rejects.toThrow(
      `demo: could not reach ${closed.baseUrl}/x (ECONNREFUSED, 2 attempts); check the network and the provider's status page`,
    );
    await expect(offline.request({ method: 'POST', path: '/x' })).rejects.toThrow(`demo: could not reach ${closed.baseUrl}/x (ECONNREFUSED, 1 attempt);`);
  });

  test('never follows a redirect, which could carry the request and its key elsewhere', async () => {
    const once = new ProviderHttpClient({ provider: 'demo', baseUrl: server.baseUrl, maxAttempts: 1 });
    server.script(redirect('/elsewhere'), status(200, '{}'));
    await expect(once.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      kind: 'unavailable',
      message: `demo: could not reach ${server.baseUrl}/x (unexpected redirect, 1 attempt); check the network and the provider's status page`,
    });
    expect(server.seen.map(({ url }) => url)).toEqual(['/x']);
  });

  test('keeps a secret header value out of the error when fetch refuses to send it', async () => {
    const once = new ProviderHttpClient({ provider: 'demo', baseUrl: server.baseUrl, maxAttempts: 1 });
    const malformed = new Secret('Bearer k1\r\nX-Injected: yes');
    server.script();
    const failure = await once.request({ method: 'GET', path: '/x', headers: { Authorization: malformed } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).message).toContain('(Headers.append: "[redacted]" is an invalid header value., 1 attempt)');
    expect((failure as ProviderError).message).not.toContain('k1');
    expect(server.seen).toHaveLength(0);
  });

  test('returns an answer without a body as empty text', async () => {
    server.script((_request, response) => response.writeHead(204).end());
    const response = await client.request({ method: 'POST', path: '/x', body: '{}' });
    expect([response.status, response.text]).toEqual([204, '']);
  });

  describe('response size', () => {
    const limited = (): ProviderHttpClient => new ProviderHttpClient({ provider: 'demo', baseUrl: server.baseUrl, maxResponseBytes: 10 });

    test('accepts a body of exactly the limit, declared or streamed', async () => {
      server.script(status(200, '0123456789', { 'content-length': '10' }), streamed('01234', '56789'));
      expect((await limited().request({ method: 'GET', path: '/x' })).text).toBe('0123456789');
      expect((await limited().request({ method: 'GET', path: '/x' })).text).toBe('0123456789');
    });

    test('refuses a body declared larger than the limit without reading it', async () => {
      // Declares 100 bytes, sends 5 and hangs up: only the declaration can be the reason to refuse.
      const liar = createNetServer((socket) => {
        socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n01234', () => socket.destroy()));
      });
      const port = await listenOnFreePort(liar);
      const limitedLiar = new ProviderHttpClient({ provider: 'demo', baseUrl: `http://127.0.0.1:${port}`, maxResponseBytes: 10 });
      await expect(limitedLiar.request({ method: 'GET', path: '/x' })).rejects.toMatchObject({
        kind: 'invalid-response',
        message: `demo: the response from http://127.0.0.1:${port}/x exceeds 10 bytes`,
      });
      await new Promise<void>((resolve) => liar.close(() => resolve()));
    });

    test('answers unavailable, not a bare TypeError, when the connection ends before the declared body', async () => {
      // Declares 100 bytes, sends 5 and hangs up: within the limit, so the body is read and found cut off.
      const cutter = createNetServer((socket) => {
        socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n01234', () => socket.destroy()));
      });
      const port = await listenOnFreePort(cutter);
      const client = new ProviderHttpClient({ provider: 'demo', baseUrl: `http://127.0.0.1:${port}` });
      try {
        const failure = client.request({ method: 'GET', path: '/x', query: { apikey: apiKey } });
        await expect(failure).rejects.toBeInstanceOf(ProviderError);
        await expect(failure).rejects.toMatchObject({ kind: 'unavailable', httpStatus: 200, retryable: true });
        await expect(failure).rejects.toThrow(`demo: the answer from http://127.0.0.1:${port}/x?apikey=[redacted] (HTTP 200) was cut off (`);
      } finally {
        await new Promise<void>((resolve) => cutter.close(() => resolve()));
      }
    });

    test.each([
      ['declared by Content-Length', status(200, '01234567890', { 'content-length': '11' })],
      ['streamed without Content-Length', streamed('01234', '56789', '0')],
    ])('refuses a body one byte over the limit, %s, naming the URL, the limit and the status', async (_case, reply) => {
      server.script(reply);
      await expect(limited().request({ method: 'GET', path: '/x', query: { apikey: apiKey } })).rejects.toMatchObject({
        kind: 'invalid-response',
        httpStatus: 200,
        message: `demo: the response from ${server.baseUrl}/x?apikey=[redacted] exceeds 10 bytes`,
      });
    });
  });
});
