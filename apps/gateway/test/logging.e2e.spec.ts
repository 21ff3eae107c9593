import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger, PinoNestLogger } from '../src/logging/pino-logger.js';
import { databaseEnv, GatewayHarness } from './support/gateway-harness.js';

type LogLine = Record<string, unknown> & { msg: string };

/** A pino destination keeping every line, parsed. */
function capture(): { lines: LogLine[]; write(line: string): void } {
  const lines: LogLine[] = [];
  return { lines, write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };
}

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
  it('logs an error Nest did not handle with its stack, as err', async () => {
    const destination = capture();
    const app = await NestFactory.create(BoomModule, { logger: new PinoNestLogger(createLogger('info', destination)) });
    await app.listen(0, '127.0.0.1');
    try {
      const res = await fetch(`${await app.getUrl()}/boom`);
      expect(res.status).toBe(500);
      const line = destination.lines.find((candidate) => candidate.level === 50 && candidate.msg === 'an unexpected failure');
      expect(line).toMatchObject({ context: 'ExceptionsHandler', err: { type: 'Error', message: 'an unexpected failure' } });
      expect((line?.['err'] as { stack: string }).stack).toMatch(/^Error: an unexpected failure\n\s+at /);
    } finally {
      await app.close();
    }
  });

  describe('lines logged while handling a request', () => {
    const destination = capture();
    let gw: GatewayHarness;
    beforeAll(async () => {
      gw = await GatewayHarness.start(databaseEnv('PGlite'), createLogger('info', destination));
    });
    afterAll(async () => {
      await gw.close();
    });

    const lineStarting = (start: string) => destination.lines.find((line) => line.msg.startsWith(start));

    it('carry the request id: a callback rejected on GET and on POST (its body read first)', async () => {
      const get = await fetch(`${gw.url}/v1/callbacks/blockonomics?secret=wrong&addr=a&txid=t&value=1&status=2`, { headers: { 'X-Request-Id': 'req-forged-get' } });
      const post = await fetch(`${gw.url}/v1/callbacks/blockbee?invoice=x&nonce=y`, {
        method: 'POST',
        headers: { 'X-Request-Id': 'req-forged-post', 'Content-Type': 'application/json' },
        body: JSON.stringify({ txid_in: 'forged' }),
      });
      expect([get.status, post.status]).toEqual([403, 401]);
      expect(lineStarting('blockonomics callback rejected')).toMatchObject({ reqId: 'req-forged-get', context: 'Callbacks' });
      expect(lineStarting('blockbee callback rejected')).toMatchObject({ reqId: 'req-forged-post', context: 'Callbacks' });
    });

    it('carry the request id when the body arrives in pieces, after the request was routed', async () => {
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

    it('carry the request id: API refusals, from the body parser and from validation', async () => {
      const invalid = await gw.request('/v1/invoices', { method: 'POST', headers: { 'X-Request-Id': 'req-invalid' }, body: JSON.stringify({ provider: 'blockonomics' }) });
      const notJson = await gw.request('/v1/invoices', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
      expect([invalid.status, notJson.status]).toEqual([400, 415]);
      expect(lineStarting('POST /v1/invoices answered 400')).toMatchObject({ reqId: 'req-invalid', context: 'PaymentsApi' });
      expect(lineStarting('POST /v1/invoices/ answered 415')).toMatchObject({ reqId: notJson.headers.get('x-request-id') });
    });

    it('carry none outside a request (start-up)', () => {
      expect(destination.lines.find((line) => line.context === 'NestApplication')?.['reqId']).toBeUndefined();
    });
  });
});
