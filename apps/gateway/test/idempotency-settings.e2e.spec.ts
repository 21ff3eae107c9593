import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fingerprintOf, IDEMPOTENCY_STORE, IdempotencyKey, type IdempotencyStore, RedisIdempotencyStore } from '@cryptopay/idempotency';
import { Redis } from 'ioredis';
import { databaseEnv, GatewayHarness, REDIS_URL } from './support/gateway-harness.js';

const PREFIX = `gateway-e2e:${process.pid}`;

describe('idempotency settings (IDEMPOTENCY_KEY_PREFIX, _LEASE_SECONDS, _RESULT_TTL_HOURS)', () => {
  let gw: GatewayHarness;
  let admin: Redis;

  beforeAll(async () => {
    gw = await GatewayHarness.start({
      ...databaseEnv('PGlite'),
      REDIS_URL,
      IDEMPOTENCY_KEY_PREFIX: PREFIX,
      IDEMPOTENCY_LEASE_SECONDS: '7',
      IDEMPOTENCY_RESULT_TTL_HOURS: '2',
    });
    admin = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await gw.close();
    const keys = await admin.keys(`${PREFIX}:*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  it('keeps its keys under the prefix, holds an in-flight key for the lease and a result for the TTL', async () => {
    const store = gw.gateway.app.get<IdempotencyStore>(IDEMPOTENCY_STORE);
    const key = IdempotencyKey.apiRequest({ caller: 'settings-test', idempotencyKey: randomUUID() });
    const fingerprint = fingerprintOf('settings');
    const claim = await store.claim(key, fingerprint);
    if (claim.status !== 'acquired') throw new Error(`not acquired: ${claim.status}`);

    const second = await store.claim(key, fingerprint);
    expect(second.status).toBe('in-flight');
    expect(second.status === 'in-flight' && second.leaseRemainingMs).toBeLessThanOrEqual(7_000);
    expect(second.status === 'in-flight' && second.leaseRemainingMs).toBeGreaterThan(5_000);

    // Another client with the same prefix sees the gateway's key: the prefix is applied.
    const prefixed = new RedisIdempotencyStore({ connection: { mode: 'standalone', url: REDIS_URL }, keyPrefix: PREFIX });
    try {
      expect(await prefixed.ready(5_000)).toBe(true);
      expect(await prefixed.peek(key)).toEqual({ status: 'in-flight', fingerprint });
      expect(await store.complete(key, claim.token, { status: 201, headers: {}, body: '{}' })).toBe(true);
      const ttl = await admin.pttl(prefixed.redisKey(key));
      expect(ttl).toBeLessThanOrEqual(2 * 3_600_000);
      expect(ttl).toBeGreaterThan(2 * 3_600_000 - 60_000);
    } finally {
      await prefixed.close();
    }
  });
});
