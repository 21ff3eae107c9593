import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisIdempotencyStore, type IdempotencyStore, type StoreTimings } from '../src/index.js';
import { describeStoreContract } from './support/store-contract.js';
import { testRedisUrl } from '@cryptopay/test-servers';

const REDIS_URL = testRedisUrl();

describeStoreContract('Redis', () => {
  // A unique prefix per test keeps runs apart on the shared server.
  const keyPrefix = `test:idem:${randomUUID()}`;
  const opened: RedisIdempotencyStore[] = [];
  const open = async (timings: StoreTimings) => {
    const store = new RedisIdempotencyStore({ connection: { mode: 'standalone', url: REDIS_URL }, keyPrefix, ...timings });
    opened.push(store);
    expect(await store.ready(5_000)).toBe(true);
    return store;
  };
  return {
    connect: open,
    peer: (_store: IdempotencyStore, timings: StoreTimings) => open(timings),
    async closeAll() {
      await Promise.all(opened.map((store) => store.close()));
      const admin = new Redis(REDIS_URL);
      const keys = await admin.keys(`${keyPrefix}:*`);
      if (keys.length > 0) await admin.del(...keys);
      await admin.quit();
    },
  };
});
