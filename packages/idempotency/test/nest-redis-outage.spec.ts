import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import request from 'supertest';
import { IdempotencyModule } from '../src/index.js';
import { Gate } from './support/gate.js';
import { HandlerProbe, InvoiceApiController } from './support/invoice-api.js';
import { RecordingMetrics } from './support/recording-metrics.js';
import { eventually, RecordingLogger, RedisServerProcess } from '@cryptopay/test-servers';

describe('@Idempotent() route while Redis fails (own redis-server)', () => {
  let redis: RedisServerProcess;
  // Unset when the app failed to start: afterAll must still stop Redis.
  let app: INestApplication | undefined;
  let probe: HandlerProbe;
  let url: string;
  let logger: RecordingLogger;
  let metrics: RecordingMetrics;

  const startApp = async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [IdempotencyModule.forRoot({ store: 'redis', redisUrl: redis.url, commandTimeoutMs: 300, metrics })],
      controllers: [InvoiceApiController],
      providers: [HandlerProbe],
    }).compile();
    const started = moduleRef.createNestApplication({ logger });
    await started.listen(0, '127.0.0.1');
    return started;
  };

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    logger = new RecordingLogger();
    metrics = new RecordingMetrics();
    const started = await startApp();
    app = started;
    url = await started.getUrl();
    probe = started.get(HandlerProbe);
  });
  afterAll(async () => {
    await app?.close();
    await redis.stop();
  });
  beforeEach(() => {
    probe.runs = 0;
    probe.gate = undefined;
  });

  const createInvoice = (key = randomUUID()) => request(url).post('/invoices').set('Idempotency-Key', key).send({ amount: '0.00041667' });
  const createdOnceRedisIsBack = () =>
    eventually(async () => {
      const response = await createInvoice();
      return response.status === 503 ? undefined : response.status;
    }, 'the route to recover');

  it('answers 503 with Retry-After while Redis is down, runs nothing, logs and counts it, and recovers without a restart', async () => {
    await redis.stop();
    const refused = await createInvoice();
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body.message).toMatch(/nothing was processed/);
    expect(probe.runs).toBe(0);
    expect(metrics.count('storeError', 'claim')).toBeGreaterThanOrEqual(1);
    expect(logger.errors().some((line) => line.includes('Idempotency store unavailable during claim'))).toBe(true);
    await request(url).get('/health').expect(200);

    await redis.start();
    expect(await createdOnceRedisIsBack()).toBe(201);
    const lost = logger.lines.findIndex((line) => line.includes('Lost the Redis connection'));
    const back = logger.lines.findIndex((line) => line.includes('Redis reachable again'));
    expect(lost).toBeGreaterThanOrEqual(0);
    expect(back).toBeGreaterThan(lost);
  });

  it('starts while Redis is down, answering 503 until it is up', async () => {
    await redis.stop();
    const late = await startApp();
    try {
      const lateUrl = await late.getUrl();
      expect(logger.errors().some((line) => line.includes('not reachable at startup'))).toBe(true);
      const refused = await request(lateUrl).post('/invoices').set('Idempotency-Key', randomUUID()).send({});
      expect(refused.status).toBe(503);
      await redis.start();
      const recovered = await eventually(async () => {
        const response = await request(lateUrl).post('/invoices').set('Idempotency-Key', randomUUID()).send({});
        return response.status === 503 ? undefined : response.status;
      }, 'the late app to reach Redis');
      expect(recovered).toBe(201);
    } finally {
      await late.close();
    }
  });

  it('answers 503 while Redis hangs, failed by the command timeout rather than left waiting, and recovers', async () => {
    // The test before restarted Redis: the claim must meet a live connection that hangs, not a reconnecting one.
    expect(await createdOnceRedisIsBack()).toBe(201);
    probe.runs = 0;
    const claimErrors = metrics.count('storeError', 'claim');
    const logged = logger.lines.length;
    redis.pause();
    try {
      // Answered while Redis is still frozen: only the command timeout can have ended the claim.
      expect((await createInvoice()).status).toBe(503);
      expect(probe.runs).toBe(0);
      expect(metrics.count('storeError', 'claim')).toBe(claimErrors + 1);
      const claimFailures = logger.lines.slice(logged).filter((line) => line.includes('unavailable during claim'));
      expect(claimFailures).toEqual([expect.stringMatching(/^error .*: (Command timed out|no reply within 300 ms) /)]);
    } finally {
      redis.resume();
    }
    expect(await createdOnceRedisIsBack()).toBe(201);
  });

  it('never answers success when the outcome cannot be recorded after the handler ran', async () => {
    probe.gate = new Gate();
    const pending = createInvoice().then((response) => response);
    await eventually(async () => (probe.runs === 1 ? true : undefined), 'the handler to start');
    await redis.stop();
    probe.gate.open();
    const response = await pending;
    expect(response.status).toBe(503);
    expect(response.body.message).toMatch(/could not be confirmed/);
    expect(metrics.count('storeError', 'complete')).toBe(1);
    await redis.start();
    expect(await createdOnceRedisIsBack()).toBe(201);
  });

  it('closes its Redis connection when the app shuts down', async () => {
    const admin = new Redis(redis.url);
    const ourConnections = async () => String(await admin.call('CLIENT', 'LIST')).match(/name=cryptopay-idempotency /g)?.length ?? 0;
    const second = await startApp();
    const before = await ourConnections();
    await second.close();
    const after = await eventually(async () => {
      const count = await ourConnections();
      return count < before ? count : undefined;
    }, 'the connection to close');
    await admin.quit();
    expect(before - after).toBe(1);
  });
});
