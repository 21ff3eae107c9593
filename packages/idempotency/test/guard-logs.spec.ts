import { Logger } from '@nestjs/common';
import { eventually, RecordingLogger, RedisServerProcess } from '@cryptopay/test-servers';
import { IdempotencyGuardService, MemoryIdempotencyStore, RedisIdempotencyStore, type StoredOutcome } from '../src/index.js';
import { acknowledged, deliveryKeys, fingerprint, runAcrossOutage } from './support/guarded-callbacks.js';
import { RecordingMetrics } from './support/recording-metrics.js';

/** What the guard tells an operator: each failure logged under the `Idempotency` context, with its consequence. */
const nextKey = deliveryKeys('logged');

let logger: RecordingLogger;
beforeEach(() => {
  logger = new RecordingLogger();
  Logger.overrideLogger(logger);
});
afterEach(() => Logger.overrideLogger(new Logger()));

it('logs a handler that outlived its lease, and what to change', async () => {
  let now = 0;
  const guard = new IdempotencyGuardService(new MemoryIdempotencyStore({ leaseMs: 30_000, now: () => now }), new RecordingMetrics());
  const key = nextKey();
  await guard.run(key, fingerprint, async () => {
    now += 30_000;
    await guard.run(key, fingerprint, async () => acknowledged);
    return acknowledged;
  });
  expect(logger.errors()).toEqual(['Idempotency Handler for a callback key outlived its lease; answering 503 (raise leaseMs)']);
});

describe('store failures (own redis-server)', () => {
  let redis: RedisServerProcess;
  let store: RedisIdempotencyStore;
  let guard: IdempotencyGuardService;

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
  });
  afterAll(() => redis.stop());
  beforeEach(async () => {
    store = new RedisIdempotencyStore({ connection: { mode: 'standalone', url: redis.url }, commandTimeoutMs: 300 });
    expect(await store.ready(5_000)).toBe(true);
    guard = new IdempotencyGuardService(store, new RecordingMetrics());
  });
  afterEach(async () => {
    await redis.start();
    await eventually(async () => (await store.ready(100)) || undefined, 'Redis back');
    await store.close();
  });

  const storeErrors = () => logger.errors().filter((line) => line.startsWith('Idempotency ') && line.includes('(callback key); '));

  it('logs a failed claim: the sender is answered 503 and retries', async () => {
    await redis.stop();
    await guard.run(nextKey(), fingerprint, async () => acknowledged);
    expect(storeErrors()).toEqual([expect.stringMatching(/unavailable during claim.*\(callback key\); answering 503 so the sender retries$/)]);
  });

  /** Runs the guard with a handler that finishes only after Redis was stopped under it. */
  const runAcrossRedisStop = (finish: () => StoredOutcome) => runAcrossOutage(guard, nextKey(), () => redis.stop(), finish);

  it('logs an outcome that could not be recorded', async () => {
    await runAcrossRedisStop(() => acknowledged);
    expect(storeErrors()).toEqual([expect.stringMatching(/unavailable during complete.*; the handler ran but its outcome is not recorded; answering 503$/)]);
  });

  it('logs a failed release: the key frees itself when its lease ends', async () => {
    await runAcrossRedisStop(() => ({ ...acknowledged, status: 503 }));
    expect(storeErrors()).toEqual([expect.stringMatching(/unavailable during release.*; the key frees itself when its lease ends$/)]);
  });
});
