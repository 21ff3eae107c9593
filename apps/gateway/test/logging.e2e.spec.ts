import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@cryptopay/test-servers';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { gatewayHttpAdapter, useRequestLogging } from '../src/http/fastify-http.js';
import { AccessLog } from '../src/logging/access-log.js';
import { createLogger, nestLogging } from '../src/logging/pino-logger.js';
import { databaseEnv, GatewayHarness } from './support/gateway-harness.js';

type LogLine = Record<string, unknown> & { msg: string; level: number };

/** A pino destination keeping every line, parsed, and as written. */
function capture(): { lines: LogLine[]; text: string[]; write(line: string): void } {
  const lines: LogLine[] = [];
  const text: string[] = [];
  return {
    lines,
    text,
    write: (line: string) => {
      text.push(line);
      lines.push(JSON.parse(line) as LogLine);
    },
  };
}

// One destination for the file: nestjs-pino keeps the logger of lines outside a request once per process.
const destination = capture();
const logger = createLogger('debug', destination);

@Controller('boom')
class BoomController {
  @Get()
  fail(): never {
    throw new Error('an unexpected failure');
  }
}

@Module({ controllers: [BoomController] })
class BoomModule {}

describe('the gateway log', () => {
  it('logs an error Nest did not handle with its stack, as err, with the request id', async () => {
    const accessLog = new AccessLog();
    const app = await NestFactory.create<NestFastifyApplication>({ imports: [BoomModule, nestLogging(logger)] }, gatewayHttpAdapter(logger, accessLog), { bufferLogs: true });
    app.useLogger(app.get(Logger));
    useRequestLogging(app, accessLog);
    await app.listen(0, '127.0.0.1');
    try {
      const res = await fetch(`${await app.getUrl()}/boom`, { headers: { 'X-Request-Id': 'req-boom' } });
      expect(res.status).toBe(500);
      const line = destination.lines.find((candidate) => candidate.level === 50 && candidate['context'] === 'ExceptionsHandler');
      expect(line).toMatchObject({ reqId: 'req-boom', err: { type: 'Error', message: 'an unexpected failure' } });
      expect((line?.['err'] as { stack: string }).stack).toMatch(/^Error: an unexpected failure\n\s+at /);
    } finally {
      await app.close();
    }
  });

  describe('of the gateway', () => {
    let gw: GatewayHarness;
    beforeAll(async () => {
      gw = await GatewayHarness.start(databaseEnv('PGlite'), logger);
    });
    afterAll(async () => {
      await gw.close();
    });

    const lineStarting = (start: string) => destination.lines.find((line) => line.msg.startsWith(start));
    const accessLine = (reqId: string) => destination.lines.find((line) => line.reqId === reqId && (line.msg === 'request completed' || line.msg === 'request aborted'));

    it('carries the request id in the lines of a callback rejected on GET and on POST (its body read first)', async () => {
      const get = await fetch(`${gw.url}/v1/callbacks/blockonomics?secret=wrong&addr=a&txid=t&value=1&status=2`, { headers: { 'X-Request-Id': 'req-forged-get' } });
      const post = await fetch(`${gw.url}/v1/callbacks/blockbee?invoice=x&nonce=y`, {
        method: 'POST',
        headers: { 'X-Request-Id': 'req-forged-post', 'Content-Type': 'application/json' },
        body: JSON.stringify({ txid_in: 'forged' }),
      });
      expect([get.status, post.status]).toEqual([403, 401]);
      expect(get.headers.get('x-request-id')).toBe('req-forged-get');
      expect(lineStarting('blockonomics callback rejected')).toMatchObject({ reqId: 'req-forged-get', context: 'Callbacks' });
      expect(lineStarting('blockbee callback rejected')).toMatchObject({ reqId: 'req-forged-post', context: 'Callbacks' });
    });

    it('carries the request id when the body arrives in pieces', async () => {
      const url = new URL(`${gw.url}/v1/callbacks/blockbee?invoice=x&nonce=y`);
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(url, { method: 'POST', headers: { 'X-Request-Id': 'req-slow-body', 'Content-Type': 'application/json' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.once('error', reject);
        req.write('{"txid_in":');
        setTimeout(() => req.end('"slow"}'), 100);
      });
      expect(status).toBe(401);
      expect(destination.lines.filter((line) => line.msg.startsWith('blockbee callback rejected')).map((line) => line['reqId'])).toContain('req-slow-body');
    });

    it('carries the request id in API refusals, from the body parser and from validation', async () => {
      const invalid = await gw.request('/v1/invoices', { method: 'POST', headers: { 'X-Request-Id': 'req-invalid' }, body: JSON.stringify({ provider: 'blockonomics' }) });
      const notJson = await gw.request('/v1/invoices', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
      expect([invalid.status, notJson.status]).toEqual([400, 415]);
      expect(lineStarting('POST /v1/invoices answered 400')).toMatchObject({ reqId: 'req-invalid', context: 'PaymentsApi' });
      expect(lineStarting('POST /v1/invoices answered 415')).toMatchObject({ reqId: notJson.headers.get('x-request-id') });
    });

    it('writes an access line per request: debug when served or a refused callback (the pipeline reports it, sampled), info for a client error, with the URL secrets redacted', async () => {
      const secret = gw.sandbox.blockonomics.options.callbackSecret;
      const unmatched = await fetch(`${gw.url}/v1/callbacks/blockonomics?secret=${secret}&addr=bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq&txid=${'ab'.repeat(32)}&value=1&status=2`, { headers: { 'X-Request-Id': 'req-unmatched' } });
      const forged = await fetch(`${gw.url}/v1/callbacks/blockonomics?secret=${secret}x&addr=a&txid=t&value=1&status=2`, { headers: { 'X-Request-Id': 'req-forged' } });
      expect([unmatched.status, forged.status]).toEqual([200, 403]);
      expect(accessLine('req-unmatched')).toMatchObject({ level: 20, req: { method: 'GET', url: expect.stringContaining('secret=[redacted]') }, res: { statusCode: 200 } });
      expect(accessLine('req-forged')).toMatchObject({ level: 20, req: { url: expect.stringContaining('secret=[redacted]') }, res: { statusCode: 403 } });
      expect(destination.text.filter((line) => line.includes(secret))).toEqual([]);
    });

    it('removes a configured secret from the access line under any parameter name, e.g. secret[] (issue 18 §4)', async () => {
      const secret = gw.sandbox.blockonomics.options.callbackSecret;
      const res = await fetch(`${gw.url}/v1/callbacks/blockonomics?secret[]=${secret}&addr=a&txid=t&value=1&status=2`, { headers: { 'X-Request-Id': 'req-secret-array' } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(accessLine('req-secret-array')).toMatchObject({ req: { url: expect.stringContaining('secret[]=[redacted]') } });
      expect(destination.text.filter((line) => line.includes(secret))).toEqual([]);
    });

    it('cuts a long URL in the access line to 512 characters', async () => {
      const res = await fetch(`${gw.url}/v1/invoices/none?q=${'q'.repeat(6_000)}`, { headers: { 'X-Request-Id': 'req-long-url' } });
      expect(res.status).toBe(401);
      const line = accessLine('req-long-url') as { level: number; req: { url: string } } | undefined;
      expect(line?.level).toBe(30);
      expect(line?.req.url).toMatch(/^\/v1\/invoices\/none\?q=q+…$/);
      expect(line?.req.url).toHaveLength(512);
    });

    it('writes "request aborted" when the client goes away before its answer: info for the API, debug for a callback', async () => {
      const abandon = (path: string, requestIdHeader: string) => {
        const req = request(new URL(`${gw.url}${path}`), { method: 'POST', headers: { 'X-Request-Id': requestIdHeader, 'Content-Type': 'application/json' } });
        req.once('error', () => undefined);
        req.write('{"amount":');
        setTimeout(() => req.destroy(), 50);
      };
      abandon('/v1/invoices', 'req-abandoned-api');
      abandon('/v1/callbacks/blockbee?invoice=x&nonce=y', 'req-abandoned-callback');
      const api = await eventually(() => accessLine('req-abandoned-api'), 'the access line of the abandoned API request');
      const callback = await eventually(() => accessLine('req-abandoned-callback'), 'the access line of the abandoned callback');
      expect(api).toMatchObject({ msg: 'request aborted', level: 30, req: { method: 'POST', url: '/v1/invoices' } });
      expect(callback).toMatchObject({ msg: 'request aborted', level: 20, req: { url: '/v1/callbacks/blockbee?invoice=x&nonce=[redacted]' } });
    });

    it('gives a request id to a request no route serves, and logs it', async () => {
      const res = await fetch(`${gw.url}/nowhere`);
      expect(res.status).toBe(404);
      expect(accessLine(res.headers.get('x-request-id') ?? '')).toMatchObject({ level: 30, res: { statusCode: 404 } });
    });

    it('carries none outside a request (start-up)', () => {
      const started = destination.lines.filter((line) => line['context'] === 'NestApplication');
      expect(started.length).toBeGreaterThan(0);
      expect(started.map((line) => line['reqId'])).toEqual(started.map(() => undefined));
    });
  });
});
