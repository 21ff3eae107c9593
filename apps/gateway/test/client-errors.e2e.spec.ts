import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { databaseEnv, GatewayHarness } from './support/gateway-harness.js';

/** Sends raw bytes and collects everything the server writes until it closes the connection. */
function exchange(port: number, ...chunks: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (data) => (received += data.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        socket.write(chunk);
        // Each request's answer first: the next one arrives on a connection kept alive.
        await new Promise((next) => socket.once('data', next));
      }
    });
  });
}

describe('requests Node refuses before routing', () => {
  let gw: GatewayHarness;
  let port: number;

  beforeAll(async () => {
    gw = await GatewayHarness.start(databaseEnv('PGlite'));
    port = Number(new URL(gw.url).port);
  });
  afterAll(async () => {
    await gw.close();
  });

  it('answers a request line over 16 KB with 431 and a plain-text reason, and closes the connection', async () => {
    const answer = await exchange(port, `GET /v1/callbacks/blockbee?pad=${'x'.repeat(17_000)} HTTP/1.1\r\nHost: gw\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(answer).toContain('Content-Type: text/plain; charset=utf-8\r\n');
    expect(answer).toContain('Connection: close\r\n');
    expect(answer.endsWith('\r\n\r\nthe request line and headers together exceed 16 KB (is the URL too long?)\n')).toBe(true);
  });

  it('answers malformed HTTP with 400 naming the problem, after a complete answer to the request before it', async () => {
    const answer = await exchange(port, 'GET /health/live HTTP/1.1\r\nHost: gw\r\n\r\n', 'G@RBAGE / HTTP/1.1\r\nHost: gw\r\n\r\n');
    const [first, second] = answer.split(/(?=HTTP\/1\.1 \d{3} )/);
    expect(first).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n\{"status":"ok"\}$/);
    expect(second).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(second).toMatch(/\r\n\r\nthe request is not valid HTTP\/1\.1 \(HPE_INVALID_METHOD: Invalid method encountered\)\n$/);
  });
});
