import { fingerprintOf, IdempotencyGuardService, IdempotencyStoreError, RecentOutcomes, RedisIdempotencyStore, type StoredOutcome } from '../src/index.js';
import { acknowledged, deliveryKeys, fingerprint, runAcrossOutage } from './support/guarded-callbacks.js';
import { RecordingMetrics } from './support/recording-metrics.js';
import { eventually, RedisServerProcess } from '@cryptopay/test-servers';

const nextKey = deliveryKeys('delivery');

describe('Redis outages (own redis-server)', () => {
  let redis: RedisServerProcess;
  let store: RedisIdempotencyStore;
  let metrics: RecordingMetrics;
  let guard: IdempotencyGuardService;

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
  });
  afterAll(() => redis.stop());

  beforeEach(async () => {
    store = new RedisIdempotencyStore({ connection: { mode: 'standalone', url: redis.url }, commandTimeoutMs: 300 });
    expect(await store.ready(5_000)).toBe(true);
    metrics = new RecordingMetrics();
    guard = new IdempotencyGuardService(store, metrics);
  });
  afterEach(() => store.close());

  const claimsAgain = () =>
    eventually(async () => {
      try {
        return await store.claim(nextKey(), fingerprint);
      } catch (error) {
        if (error instanceof IdempotencyStoreError) return undefined;
        throw error;
      }
    }, 'Redis to come back');

  it('fails claims while Redis is down and recovers by itself when it returns', async () => {
    await redis.stop();
    await expect(store.claim(nextKey(), fingerprint)).rejects.toBeInstanceOf(IdempotencyStoreError);
    await redis.start();
    expect((await claimsAgain()).status).toBe('acquired');
  });

  it('fails a peek and a ping while Redis is down; the guard then offers no shortcut and counts it', async () => {
    await redis.stop();
    try {
      await expect(store.peek(nextKey())).rejects.toThrow(/unavailable during peek/);
      await expect(store.ping()).rejects.toThrow(/unavailable during ping/);
      expect(await guard.completedOutcome(nextKey(), () => true)).toBeNull();
      expect(metrics.count('storeError', 'peek')).toBe(1);
    } finally {
      await redis.start();
    }
  });

  it('answers a duplicate of an outcome this process saw completed while Redis is down, and nothing else', async () => {
    const remembering = new IdempotencyGuardService(store, metrics, new RecentOutcomes({ capacity: 10, ttlMs: 60_000 }));
    const [done, other] = [nextKey(), nextKey()];
    expect(await remembering.run(done, fingerprint, async () => acknowledged)).toEqual({ kind: 'executed', outcome: acknowledged });
    await redis.stop();
    try {
      expect(await remembering.completedOutcome(done, (_outcome, stored) => stored === fingerprint)).toEqual(acknowledged);
      expect(await remembering.completedOutcome(done, (_outcome, stored) => stored === fingerprintOf('another request'))).toBeNull();
      expect(await remembering.completedOutcome(other, () => true)).toBeNull();
      expect(await remembering.run(other, fingerprint, async () => acknowledged)).toEqual({ kind: 'unavailable', stage: 'claim' });
      expect(metrics.count('duplicateAnswered', 'callback')).toBe(1);
    } finally {
      await redis.start();
    }
  });

  it('fails a claim against a hung Redis after the command timeout, then recovers', async () => {
    redis.pause();
    try {
      await expect(store.claim(nextKey(), fingerprint)).rejects.toThrow(/unavailable during claim/);
    } finally {
      redis.resume();
    }
    expect((await claimsAgain()).status).toBe('acquired');
  });

  it('never runs the handler unguarded when Redis is down: unavailable at claim, counted', async () => {
    await redis.stop();
    let ran = false;
    const result = await guard.run(nextKey(), fingerprint, async () => {
      ran = true;
      return acknowledged;
    });
    await redis.start();
    expect(result).toEqual({ kind: 'unavailable', stage: 'claim' });
    expect(ran).toBe(false);
    expect(metrics.count('storeError', 'claim')).toBe(1);
  });

  /** Runs the guard with a handler that finishes (`finish`) only after Redis was stopped under it. */
  const runAcrossRedisStop = async (finish: () => StoredOutcome) => {
    try {
      return await runAcrossOutage(guard, nextKey(), () => redis.stop(), finish);
    } finally {
      await redis.start();
    }
  };

  it('does not report success when the completion write fails after the handler succeeded', async () => {
    const result = await runAcrossRedisStop(() => acknowledged);
    expect(result).toEqual({ kind: 'unavailable', stage: 'complete' });
    expect(metrics.count('storeError', 'complete')).toBe(1);
  });

  it('still propagates the handler’s error when the release fails too', async () => {
    const failing = () => {
      throw new Error('ledger write failed');
    };
    await expect(runAcrossRedisStop(failing)).rejects.toThrow('ledger write failed');
    expect(metrics.count('storeError', 'release')).toBe(1);
  });
});
