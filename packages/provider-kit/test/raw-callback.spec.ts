import { createServer, request as httpRequest } from 'node:http';
import { listenOnFreePort } from '@cryptopay/test-servers';
import { describe, expect, test } from '@jest/globals';
import { CallbackTooLargeError, readRawBody, toRawCallback, type RawCallback } from '../src/index.js';

/** Sends one request to a real server and returns what toRawCallback captured. */
async function capture(path: string, body: string, limit?: number): Promise<RawCallback | Error> {
  let captured: RawCallback | Error = new Error('nothing captured');
  const server = createServer((request, response) => {
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
    const outgoing = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'X-CA-Signature': 'abc' } }, (response) => {
      response.resume().on('end', resolve);
    });
    outgoing.on('error', reject);
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
});
