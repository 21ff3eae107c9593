import { randomUUID } from 'node:crypto';
import {
  type ClaimResult,
  type Fingerprint,
  fingerprintOf,
  IdempotencyKey,
  type IdempotencyStore,
  type StoredOutcome,
  type StoreTimings,
  sameFingerprint,
} from '../../src/index.js';
import { eventually } from '@cryptopay/test-servers';

/** Opens stores for one contract run. Clients opened by `connect` share state (same Redis, or same memory). */
export interface StoreHarness {
  connect(timings: StoreTimings): Promise<IdempotencyStore>;
  /** Another client on the same state as `store`, e.g. another app instance. */
  peer(store: IdempotencyStore, timings: StoreTimings): Promise<IdempotencyStore>;
  closeAll(): Promise<void>;
}

const LONG: StoreTimings = { leaseMs: 30_000, resultTtlMs: 60_000 };
const SHORT_LEASE: StoreTimings = { leaseMs: 300, resultTtlMs: 60_000 };

export const invoiceCreated: StoredOutcome = {
  status: 201,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  // Exact text: digits a float would round, and non-ASCII.
  body: '{"amount":"0.00041667","satoshis":123456789012345678901234567890,"rate":0.1000000000000000055,"memo":"café ₿"}',
};

const fingerprint = fingerprintOf('POST', '/invoices', '{"amount":"0.00041667"}');
const otherFingerprint = fingerprintOf('POST', '/invoices', '{"amount":"1"}');
const freshKey = () => IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: randomUUID() });

async function acquiredToken(store: IdempotencyStore, key: IdempotencyKey): Promise<string> {
  const claim = await store.claim(key, fingerprint);
  if (claim.status !== 'acquired') throw new Error(`expected acquired, got ${claim.status}`);
  return claim.token;
}

/** Claims until the answer stops being `waiting`, i.e. until a lease or a result TTL ends by itself. */
function claimOnceNot(store: IdempotencyStore, key: IdempotencyKey, print: Fingerprint, waiting: ClaimResult['status']): Promise<ClaimResult> {
  return eventually(async () => {
    const claim = await store.claim(key, print);
    return claim.status === waiting ? undefined : claim;
  }, `a claim other than ${waiting}`);
}

/** The semantics every IdempotencyStore must have; run against each implementation. */
export function describeStoreContract(name: string, makeHarness: () => StoreHarness): void {
  describe(`${name} store contract`, () => {
    let harness: StoreHarness;

    beforeEach(() => {
      harness = makeHarness();
    });
    afterEach(() => harness.closeAll());

    it('acquires a new key once; a second claim finds it in flight within its lease', async () => {
      const store = await harness.connect(LONG);
      const key = freshKey();
      await acquiredToken(store, key);
      const second = await store.claim(key, fingerprint);
      expect(second.status).toBe('in-flight');
      if (second.status !== 'in-flight') return;
      expect(second.leaseRemainingMs).toBeGreaterThan(0);
      expect(second.leaseRemainingMs).toBeLessThanOrEqual(LONG.leaseMs);
    });

    it('gives a key to exactly one of many concurrent clients', async () => {
      const first = await harness.connect(LONG);
      const clients = [first, ...(await Promise.all(Array.from({ length: 19 }, () => harness.peer(first, LONG))))];
      const key = freshKey();
      const claims = await Promise.all(clients.flatMap((client) => [client.claim(key, fingerprint), client.claim(key, fingerprint)]));
      expect(claims.filter((claim) => claim.status === 'acquired')).toHaveLength(1);
      expect(claims.filter((claim) => claim.status === 'in-flight')).toHaveLength(claims.length - 1);
    });

    it('replays the exact outcome of a completed key to every later claim', async () => {
      const store = await harness.connect(LONG);
      const peer = await harness.peer(store, LONG);
      const key = freshKey();
      const token = await acquiredToken(store, key);
      expect(await store.complete(key, token, invoiceCreated)).toBe(true);
      expect(await store.claim(key, fingerprint)).toEqual({ status: 'completed', outcome: invoiceCreated });
      expect(await peer.claim(key, fingerprint)).toEqual({ status: 'completed', outcome: invoiceCreated });
    });

    it('answers mismatch for the same key with another fingerprint, in flight and completed', async () => {
      const store = await harness.connect(LONG);
      const key = freshKey();
      const token = await acquiredToken(store, key);
      expect(await store.claim(key, otherFingerprint)).toEqual({ status: 'mismatch' });
      await store.complete(key, token, invoiceCreated);
      expect(await store.claim(key, otherFingerprint)).toEqual({ status: 'mismatch' });
    });

    it('frees a released key for the next claim', async () => {
      const store = await harness.connect(LONG);
      const key = freshKey();
      const token = await acquiredToken(store, key);
      expect(await store.release(key, token)).toBe(true);
      expect((await store.claim(key, otherFingerprint)).status).toBe('acquired');
    });

    it('lets the next claim proceed once a crashed owner’s lease ends', async () => {
      const crashed = await harness.connect(SHORT_LEASE);
      const survivor = await harness.peer(crashed, SHORT_LEASE);
      const key = freshKey();
      await acquiredToken(crashed, key); // the owner dies here: no complete, no release
      expect((await survivor.claim(key, fingerprint)).status).toBe('in-flight');
      expect((await claimOnceNot(survivor, key, fingerprint, 'in-flight')).status).toBe('acquired');
    });

    it('refuses complete and release from an owner whose lease was taken over', async () => {
      const stale = await harness.connect(SHORT_LEASE);
      const current = await harness.peer(stale, SHORT_LEASE);
      const key = freshKey();
      const staleToken = await acquiredToken(stale, key);
      const takeover = await claimOnceNot(current, key, fingerprint, 'in-flight');
      if (takeover.status !== 'acquired') throw new Error(`expected a takeover, got ${takeover.status}`);
      const currentToken = takeover.token;
      expect(await stale.complete(key, staleToken, { ...invoiceCreated, body: '{"stale":true}' })).toBe(false);
      expect(await stale.release(key, staleToken)).toBe(false);
      expect((await stale.claim(key, fingerprint)).status).toBe('in-flight');
      expect(await current.complete(key, currentToken, invoiceCreated)).toBe(true);
      expect(await stale.claim(key, fingerprint)).toEqual({ status: 'completed', outcome: invoiceCreated });
    });

    it('ignores unknown tokens and unknown keys', async () => {
      const store = await harness.connect(LONG);
      const key = freshKey();
      expect(await store.complete(key, 'no-such-token', invoiceCreated)).toBe(false);
      expect(await store.release(key, 'no-such-token')).toBe(false);
      await acquiredToken(store, key);
      expect(await store.complete(key, 'forged-token', invoiceCreated)).toBe(false);
      expect(await store.release(key, 'forged-token')).toBe(false);
      expect((await store.claim(key, fingerprint)).status).toBe('in-flight');
    });

    it('keeps a completed outcome: no second completion, no release', async () => {
      const store = await harness.connect(LONG);
      const key = freshKey();
      const token = await acquiredToken(store, key);
      await store.complete(key, token, invoiceCreated);
      expect(await store.complete(key, token, { ...invoiceCreated, body: '{}' })).toBe(false);
      expect(await store.release(key, token)).toBe(false);
      expect(await store.claim(key, fingerprint)).toEqual({ status: 'completed', outcome: invoiceCreated });
    });

    it('forgets a completed key after its result TTL', async () => {
      const store = await harness.connect({ leaseMs: 200, resultTtlMs: 400 });
      const key = freshKey();
      await store.complete(key, await acquiredToken(store, key), invoiceCreated);
      expect((await claimOnceNot(store, key, otherFingerprint, 'mismatch')).status).toBe('acquired');
    });

    it('peeks without taking anything: absent, in flight with its fingerprint, completed with its outcome', async () => {
      const store = await harness.connect(LONG);
      const peer = await harness.peer(store, LONG);
      const key = freshKey();
      expect(await peer.peek(key)).toEqual({ status: 'absent' });
      const token = await acquiredToken(store, key); // the peek claimed nothing
      expect(await peer.peek(key)).toEqual({ status: 'in-flight', fingerprint });
      const withContext = { ...invoiceCreated, context: { invoice: 'inv-42', locator: 'address:bc1q…' } };
      expect(await store.complete(key, token, withContext)).toBe(true); // nor took the owner's key
      const peeked = await peer.peek(key);
      expect(peeked).toEqual({ status: 'completed', fingerprint: expect.any(String), outcome: withContext });
      expect(peeked.status === 'completed' && sameFingerprint(peeked.fingerprint, fingerprint)).toBe(true);
      expect(await peer.claim(key, fingerprint)).toEqual({ status: 'completed', outcome: withContext });
    });

    it('does not extend a lease by peeking: a crashed owner’s key still frees itself', async () => {
      const crashed = await harness.connect(SHORT_LEASE);
      const survivor = await harness.peer(crashed, SHORT_LEASE);
      const key = freshKey();
      await acquiredToken(crashed, key);
      // Peeked every 50 ms: were a peek to extend the lease, it would never end.
      await eventually(async () => ((await survivor.peek(key)).status === 'absent' ? true : undefined), 'the lease to end while peeking');
      expect((await survivor.claim(key, otherFingerprint)).status).toBe('acquired');
    });

    it('answers a ping', async () => {
      const store = await harness.connect(LONG);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('rejects an outcome it could not replay and keeps the key owned', async () => {
      const store = await harness.connect(LONG);
      const key = freshKey();
      const token = await acquiredToken(store, key);
      await expect(store.complete(key, token, { ...invoiceCreated, status: 1_000 })).rejects.toThrow(TypeError);
      const numericContext = { ...invoiceCreated, context: { amount: 1 } } as unknown as StoredOutcome;
      await expect(store.complete(key, token, numericContext)).rejects.toThrow(TypeError);
      expect(await store.release(key, token)).toBe(true);
    });
  });
}

export { LONG as LONG_TIMINGS };
