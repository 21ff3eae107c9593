import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DEFAULT_STORE_TIMINGS, fingerprintOf, IdempotencyKey, IdempotencyStoreError, RedisIdempotencyStore, type StoredOutcome } from '../src/index.js';
import { invoiceCreated } from './support/store-contract.js';
import { testRedisUrl } from '@cryptopay/test-servers';

const REDIS_URL = testRedisUrl();
const fingerprint = fingerprintOf('delivery');
const INVOICE = '0b8f6c1e-1f0e-4c4e-9d9b-2b8f0e6a1c11';
const BINDING = 'AbCdEfGhIjKlMnOpQrStUv';
/** What the callback pipeline stores for an applied BlockBee callback. */
const blockBeeApplied: StoredOutcome = {
  status: 200,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: '*ok*',
  context: { inv: INVOICE, bind: BINDING },
};
/** What the previous release stored for it. */
const blockBeeAppliedBefore: StoredOutcome = {
  ...blockBeeApplied,
  context: { invoice: INVOICE, locator: `id:${INVOICE}`, nonce: BINDING },
};

describe('Redis store on the wire', () => {
  const keyPrefix = `test:idem:${randomUUID()}`;
  let store: RedisIdempotencyStore;
  let admin: Redis;

  beforeAll(async () => {
    store = new RedisIdempotencyStore({ connection: { mode: 'standalone', url: REDIS_URL }, keyPrefix });
    admin = new Redis(REDIS_URL);
    expect(await store.ready(5_000)).toBe(true);
  });
  /** A completed key exactly as the previous release (format 1) wrote it. */
  async function writeFormatOne(redisKey: string, outcome: StoredOutcome): Promise<void> {
    await admin.hset(redisKey, { state: 'completed', fp: fingerprint, outcome: JSON.stringify(outcome) });
    await admin.pexpire(redisKey, DEFAULT_STORE_TIMINGS.resultTtlMs);
  }

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

  it('keeps an in-flight claim as a hash, and replaces it by a compact string record once completed', async () => {
    const deliveryKey = randomUUID();
    const key = IdempotencyKey.callback({ provider: 'blockbee', deliveryKey });
    expect(store.redisKey(key)).toBe(`${keyPrefix}:callback:blockbee:*:${deliveryKey}`);
    const claim = await store.claim(key, fingerprint);
    if (claim.status !== 'acquired') throw new Error('not acquired');
    expect(await admin.hgetall(store.redisKey(key))).toEqual({ state: 'in-flight', fp: fingerprint, token: claim.token });
    await store.complete(key, claim.token, blockBeeApplied);
    // No owner token: a completed key is never released or rewritten.
    expect(await admin.get(store.redisKey(key))).toBe(
      `2${fingerprint.slice(0, 22)}200t|inv=@C49sHh8OTE6dmyuPDmocEQ&bind=${BINDING}|*ok*`,
    );
  });

  it('stores a BlockBee callback outcome in at most 250 bytes (MEMORY USAGE), under half the previous hash', async () => {
    // Measured under the default prefix: the size of a production key, not of this test's longer one.
    const production = new RedisIdempotencyStore({ connection: { mode: 'standalone', url: REDIS_URL } });
    const key = IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: `blockbee:${randomUUID()}:confirmed` });
    const previous = IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: `blockbee:${randomUUID()}:confirmed` });
    let compact: number;
    let hash: number;
    try {
      expect(await production.ready(5_000)).toBe(true);
      const claim = await production.claim(key, fingerprintOf(INVOICE, 'blockbee:…:confirmed'));
      if (claim.status !== 'acquired') throw new Error('not acquired');
      await production.complete(key, claim.token, blockBeeApplied);
      await writeFormatOne(production.redisKey(previous), blockBeeAppliedBefore);
      compact = Number(await admin.call('MEMORY', 'USAGE', production.redisKey(key)));
      hash = Number(await admin.call('MEMORY', 'USAGE', production.redisKey(previous)));
    } finally {
      await admin.del(production.redisKey(key), production.redisKey(previous));
      await production.close();
    }

    process.stdout.write(`idempotency record of a BlockBee callback: ${compact} bytes (format 1: ${hash} bytes)\n`);
    expect(compact).toBeLessThanOrEqual(250);
    expect(compact * 2).toBeLessThan(hash);
  });

  it('still answers keys completed by the previous release (a hash with a JSON outcome) during a rolling deploy', async () => {
    const key = IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: randomUUID() });
    await writeFormatOne(store.redisKey(key), blockBeeAppliedBefore);
    expect(await store.claim(key, fingerprint)).toEqual({ status: 'completed', outcome: blockBeeAppliedBefore });
    expect(await store.peek(key)).toEqual({ status: 'completed', fingerprint, outcome: blockBeeAppliedBefore });
    expect(await store.claim(key, fingerprintOf('another invoice'))).toEqual({ status: 'mismatch' });
  });

  it('answers a key another instance completed with the outcome it stored, and a mismatch for another fingerprint', async () => {
    const key = IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: randomUUID() });
    const claim = await store.claim(key, fingerprint);
    if (claim.status !== 'acquired') throw new Error('not acquired');
    await store.complete(key, claim.token, invoiceCreated);
    expect(await store.claim(key, fingerprint)).toEqual({ status: 'completed', outcome: invoiceCreated });
    expect(await store.claim(key, fingerprintOf('another invoice'))).toEqual({ status: 'mismatch' });
  });

  it('keeps a completed outcome for the TTL its completion asks for', async () => {
    const key = IdempotencyKey.callback({ provider: 'blockonomics', deliveryKey: randomUUID() });
    const claim = await store.claim(key, fingerprint);
    if (claim.status !== 'acquired') throw new Error('not acquired');
    await store.complete(key, claim.token, blockBeeApplied, 4_080_000);
    const pttl = await admin.pttl(store.redisKey(key));
    expect(pttl).toBeGreaterThan(4_080_000 - 5_000);
    expect(pttl).toBeLessThanOrEqual(4_080_000);
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
