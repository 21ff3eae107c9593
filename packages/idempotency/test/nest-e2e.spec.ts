import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import request, { type Response } from 'supertest';
import { IdempotencyModule } from '../src/index.js';
import { Gate } from './support/gate.js';
import { HandlerProbe, InvoiceApiController } from './support/invoice-api.js';
import { RecordingMetrics } from './support/recording-metrics.js';
import { eventually, testRedisUrl } from '@cryptopay/test-servers';

const REDIS_URL = testRedisUrl();

describe('@Idempotent() route over HTTP (shared Redis)', () => {
  const keyPrefix = `test:idem:${randomUUID()}`;
  const metrics = new RecordingMetrics();
  let app: INestApplication;
  let probe: HandlerProbe;
  let url: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [IdempotencyModule.forRoot({ store: 'redis', redisUrl: REDIS_URL, keyPrefix, metrics })],
      controllers: [InvoiceApiController],
      providers: [HandlerProbe],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    probe = app.get(HandlerProbe);
  });

  afterAll(async () => {
    await app.close();
    const admin = new Redis(REDIS_URL);
    const keys = await admin.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  beforeEach(() => {
    probe.runs = 0;
    probe.gate = undefined;
  });

  const createInvoice = (key: string, body: object = { amount: '0.00041667' }, caller = 'client_42') =>
    request(url).post('/invoices').set('Idempotency-Key', key).set('X-Api-Caller', caller).send(body);

  it('runs 100 concurrent identical requests once: one 201, the others 409 with Retry-After, then replays', async () => {
    const key = randomUUID();
    probe.gate = new Gate();
    const answered: Response[] = [];
    const all = Promise.all(Array.from({ length: 100 }, () => createInvoice(key).then((response) => answered.push(response))));
    // Every request but the one holding the key is refused while it is held.
    await eventually(async () => (answered.length === 99 ? true : undefined), '99 refusals');
    probe.gate.open();
    await all;

    expect(probe.runs).toBe(1);
    const created = answered.filter((response) => response.status === 201);
    const conflicts = answered.filter((response) => response.status === 409);
    expect(created.length).toBe(1);
    expect(conflicts.length).toBe(99);
    for (const conflict of conflicts) {
      expect(conflict.headers['retry-after']).toBe('1');
      expect(conflict.body.message).toMatch(/still being processed/);
    }
    expect(metrics.count('claimAcquired', 'api-request')).toBe(1);
    expect(metrics.count('inFlightConflict', 'api-request')).toBe(99);

    const first = created[0]!;
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    const replays = await Promise.all(Array.from({ length: 100 }, () => createInvoice(key)));
    expect(probe.runs).toBe(1);
    for (const replay of replays) {
      expect(replay.status).toBe(201);
      expect(replay.text).toBe(first.text);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    }
  });

  it('answers 422 to the same key with another body, and runs nothing', async () => {
    const key = randomUUID();
    expect((await createInvoice(key)).status).toBe(201);
    const reused = await createInvoice(key, { amount: '1.5' });
    expect(reused.status).toBe(422);
    expect(reused.body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'This idempotency key was already used for a different request.',
    });
    expect(probe.runs).toBe(1);
  });

  it('treats the same body with another key order as the same request', async () => {
    const key = randomUUID();
    expect((await createInvoice(key, { amount: '2', memo: 'a' })).status).toBe(201);
    const again = await createInvoice(key, { memo: 'a', amount: '2' });
    expect([again.status, again.headers['idempotent-replayed']]).toEqual([201, 'true']);
  });

  it('scopes a key to its caller', async () => {
    const key = randomUUID();
    const mine = await createInvoice(key, undefined, 'client_42');
    const theirs = await createInvoice(key, undefined, 'client_43');
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(probe.runs).toBe(2);
  });

  it('releases the key when the handler throws, so the retry succeeds', async () => {
    const key = randomUUID();
    probe.failNextRun = true;
    expect((await createInvoice(key)).status).toBe(500);
    const retried = await createInvoice(key);
    expect(retried.status).toBe(201);
    expect(retried.body.run).toBe(2);
    const replayed = await createInvoice(key);
    expect([replayed.status, replayed.text]).toEqual([201, retried.text]);
    expect(probe.runs).toBe(2);
  });

  it('replays the status set by @HttpCode()', async () => {
    const key = randomUUID();
    const first = await request(url).post('/refunds').set('Idempotency-Key', key).send({});
    const replay = await request(url).post('/refunds').set('Idempotency-Key', key).send({});
    expect([first.status, replay.status]).toEqual([202, 202]);
    expect(replay.text).toBe(first.text);
  });

  it('runs a request without Idempotency-Key unguarded, unless the route requires one', async () => {
    await request(url).post('/invoices').send({ amount: '1' }).expect(201);
    await request(url).post('/invoices').send({ amount: '1' }).expect(201);
    expect(probe.runs).toBe(2);
    const refused = await request(url).post('/refunds').send({});
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('The Idempotency-Key header is required on this route.');
  });

  it('answers 400 to an Idempotency-Key that is not 1-255 printable characters', async () => {
    const tooLong = await createInvoice('k'.repeat(256));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toMatch(/1-255 printable ASCII/);
    expect(probe.runs).toBe(0);
  });
});
