import { createServer, IncomingMessage, request as httpRequest } from 'node:http';
import { Socket } from 'node:net';
import { listenOnFreePort } from '@cryptopay/test-servers';
import { describe, expect, test } from '@jest/globals';
import { CallbackTooLargeError, readRawBody, toRawCallback, type RawCallback } from '../src/index.js';

interface Sending {
  readonly limit?: number;
  /** Decode the body before reading it, as a framework might: the chunks arrive as strings. */
  readonly encoding?: BufferEncoding;
  readonly headers?: Record<string, string | string[]>;
  readonly chunks?: readonly string[];
}

/** Sends one request to a real server and returns what toRawCallback captured. */
async function capture(path: string, body: string, limit?: number, sending: Sending = {}): Promise<RawCallback | Error> {
  let captured: RawCallback | Error = new Error('nothing captured');
  const server = createServer((request, response) => {
    if (sending.encoding !== undefined) request.setEncoding(sending.encoding);
    readRawBody(request, limit)
      .then((bytes) => {
        captured = toRawCallback(request, bytes, 'https://pay.example.com/');
      })
      .catch((error: Error) => {
        captured = error;
      })
      .finally(() => response.end());
  });
  const port = await listenOnFreePort(server);
  await new Promise<void>((resolve, reject) => {
    const headers = { 'X-CA-Signature': 'abc', ...sending.headers };
    const outgoing = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers }, (response) => {
      response.resume().on('end', resolve);
    });
    outgoing.on('error', reject);
    for (const chunk of sending.chunks ?? []) outgoing.write(chunk);
    outgoing.end(body);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return captured;
}

describe('toRawCallback', () => {
  test('captures target, external URL, headers, body bytes and peer exactly as received', async () => {
    const raw = (await capture('/v1/callbacks/p?b=2&a=%2B1+x', '{"value_coin": 0.05}')) as RawCallback;
    expect(raw.method).toBe('POST');
    expect(raw.target).toBe('/v1/callbacks/p?b=2&a=%2B1+x');
    expect(raw.url).toBe('https://pay.example.com/v1/callbacks/p?b=2&a=%2B1+x');
    expect(raw.headers['x-ca-signature']).toBe('abc');
    expect(Buffer.from(raw.body).toString('utf8')).toBe('{"value_coin": 0.05}');
    expect(raw.socketAddress).toMatch(/127\.0\.0\.1$/);
  });

  test('refuses a body over the limit', async () => {
    expect(await capture('/cb', 'x'.repeat(100), 10)).toBeInstanceOf(CallbackTooLargeError);
  });

  test('says by how much a body over the limit was too large', async () => {
    const refused = await capture('/cb', 'x'.repeat(11), 10);
    expect(refused).toBeInstanceOf(CallbackTooLargeError);
    expect((refused as Error).name).toBe('CallbackTooLargeError');
    expect((refused as Error).message).toBe('callback body exceeds 10 bytes');
  });

  test('accepts a body of exactly the limit', async () => {
    const raw = (await capture('/cb', '0123456789', 10)) as RawCallback;
    expect(Buffer.from(raw.body).toString('utf8')).toBe('0123456789');
  });

  test('accepts 64 KiB by default and refuses one byte more', async () => {
    const limit = 64 * 1024;
    const raw = (await capture('/cb', 'x'.repeat(limit))) as RawCallback;
    expect(raw.body.byteLength).toBe(limit);
    expect(await capture('/cb', 'x'.repeat(limit + 1))).toBeInstanceOf(CallbackTooLargeError);
  });

  test('joins a body sent in several chunks in order', async () => {
    const raw = (await capture('/cb', '"c"]', undefined, { chunks: ['["a",', '"b",'] })) as RawCallback;
    expect(Buffer.from(raw.body).toString('utf8')).toBe('["a","b","c"]');
  });

  test('reads a body already decoded to text back to its UTF-8 bytes, counting bytes against the limit', async () => {
    const raw = (await capture('/cb', '{"memo":"café"}', undefined, { encoding: 'utf8' })) as RawCallback;
    expect(Buffer.from(raw.body)).toEqual(Buffer.from('{"memo":"café"}', 'utf8'));
    // 'é' is two bytes: 5 characters are 6 bytes, over a limit of 5.
    expect(await capture('/cb', 'écrit', 5, { encoding: 'utf8' })).toBeInstanceOf(CallbackTooLargeError);
  });

  test('keeps every value of a repeated header, joined with a comma', async () => {
    const raw = (await capture('/cb', '', undefined, { headers: { 'Set-Cookie': ['a=1', 'b=2'] } })) as RawCallback;
    expect(raw.headers['set-cookie']).toBe('a=1, b=2');
  });
});

describe('toRawCallback from a request a framework built', () => {
  /** A request as Express or Nest may hand it over, not straight off the HTTP parser. */
  function requestWith(fields: { method?: string; url?: string; headers?: IncomingMessage['headers'] }): IncomingMessage {
    const request = new IncomingMessage(new Socket());
    Object.assign(request, fields);
    return request;
  }
  const receivedAt = new Date('2026-12-05T12:00:00Z');
  const body = new Uint8Array([1, 2, 3]);

  test('upper-cases the method, lower-cases header names and leaves out absent headers', () => {
    const request = requestWith({ method: 'post', url: '/cb?x=1', headers: { 'X-Signature': 'sig', 'x-absent': undefined } });
    const raw = toRawCallback(request, body, 'https://pay.example.com', receivedAt);
    expect(raw.method).toBe('POST');
    expect(raw.headers).toStrictEqual({ 'x-signature': 'sig' });
  });

  test('reads a request without method or target as GET of /, from no known peer', () => {
    const request = requestWith({ method: undefined, url: undefined });
    expect(toRawCallback(request, body, 'https://pay.example.com', receivedAt)).toStrictEqual({
      method: 'GET',
      target: '/',
      url: 'https://pay.example.com/',
      headers: {},
      body,
      socketAddress: '',
      receivedAt,
    });
  });

  test('joins the public base URL and the target with exactly one slash, whatever the base ends with', () => {
    const request = requestWith({ method: 'GET', url: '/v1/callbacks/p?a=1' });
    for (const base of ['https://pay.example.com', 'https://pay.example.com/', 'https://pay.example.com///']) {
      expect(toRawCallback(request, body, base).url).toBe('https://pay.example.com/v1/callbacks/p?a=1');
    }
    expect(toRawCallback(request, body, 'https://example.com/shop//').url).toBe('https://example.com/shop/v1/callbacks/p?a=1');
  });

  test('stamps the time it was received, now unless given', () => {
    const request = requestWith({ method: 'GET', url: '/cb' });
    expect(toRawCallback(request, body, 'https://pay.example.com', receivedAt).receivedAt).toBe(receivedAt);
    expect(toRawCallback(request, body, 'https://pay.example.com').receivedAt).toBeInstanceOf(Date);
  });
});
