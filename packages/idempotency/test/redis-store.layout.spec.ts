import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DEFAULT_STORE_TIMINGS, fingerprintOf, IdempotencyKey, IdempotencyStoreError, RedisIdempotencyStore } from '../src/index.js';
import { invoiceCreated } from './support/store-contract.js';
import { testRedisUrl } from '@cryptopay/test-servers';

const REDIS_URL = testRedisUrl();
const fingerprint = fingerprintOf('delivery');

describe('Redis store on the wire', () => {
  const keyPrefix = `test:idem:${randomUUID()}`;
  let store: RedisIdempotencyStore;
  let admin: Redis;

  beforeAll(async () => {
    store = new RedisIdempotencyStore({ connection: { mode: 'standalone', url: REDIS_URL }, keyPrefix });
    admin = new Redis(REDIS_URL);
    expect(await store.ready(5_000)).toBe(true);
  });
  afterAll(async () => {
    const keys = await admin.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    await Promise.all([store.close(), admin.quit()]);
  });

  it('holds a claim for the lease and a result for the result TTL (defaults 30 s and 72 h)', async () => {
    const key = IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: randomUUID() });
    const claim = await store.claim(key, fingerprint);
    if (claim.status !== 'acquired') throw new Error('not acquired');
    const leasePttl = await admin.pttl(store.redisKey(key));
    expect(leasePttl).toBeGreaterThan(DEFAULT_STORE_TIMINGS.leaseMs - 5_000);
    expect(leasePttl).toBeLessThanOrEqual(30_000);

    await store.complete(key, claim.token, invoiceCreated);
    const resultPttl = await admin.pttl(store.redisKey(key));
    expect(resultPttl).toBeGreaterThan(DEFAULT_STORE_TIMINGS.resultTtlMs - 5_000);
    expect(resultPttl).toBeLessThanOrEqual(259_200_000);
  });

  it('writes one hash under {prefix}:{purpose}:{scope}:{key}, without the owner token once completed', async () => {
    const deliveryKey = randomUUID();
    const key = IdempotencyKey.callback({ provider: 'blockbee', deliveryKey });
    expect(store.redisKey(key)).toBe(`${keyPrefix}:callback:blockbee:*:${deliveryKey}`);
    const claim = await store.claim(key, fingerprint);
    if (claim.status !== 'acquired') throw new Error('not acquired');
    expect(await admin.hgetall(store.redisKey(key))).toEqual({ state: 'in-flight', fp: fingerprint, token: claim.token });
    await store.complete(key, claim.token, invoiceCreated);
    const entry = await admin.hgetall(store.redisKey(key));
    expect(entry).toEqual({ state: 'completed', fp: fingerprint, outcome: expect.any(String) });
  });

  it('bounds the Redis key of a hostile megabyte idempotency key', async () => {
    const key = IdempotencyKey.apiRequest({ caller: 'client_42', idempotencyKey: 'x'.repeat(1_000_000) });
    await store.claim(key, fingerprint);
    const [written] = await admin.keys(`${keyPrefix}:api-request:*`);
    expect(written?.length).toBeLessThan(keyPrefix.length + 80);
  });

  it('reports an entry it did not write as a store error, not as "new"', async () => {
    const key = IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: randomUUID() });
    await admin.hset(store.redisKey(key), { state: 'completed', fp: fingerprint, outcome: '{"status":"200"}' });
    await expect(store.claim(key, fingerprint)).rejects.toThrow(new IdempotencyStoreError('claim', 'unreadable entry in Redis'));
    await expect(store.peek(key)).rejects.toThrow(new IdempotencyStoreError('peek', 'unreadable entry in Redis'));
    const other = IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: randomUUID() });
    await admin.set(store.redisKey(other), 'a string, not a hash');
    await expect(store.claim(other, fingerprint)).rejects.toBeInstanceOf(IdempotencyStoreError);
    await expect(store.peek(other)).rejects.toBeInstanceOf(IdempotencyStoreError);
  });
});
