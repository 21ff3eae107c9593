import { fingerprintOf, IdempotencyKey, type IdempotencyStore, MemoryIdempotencyStore } from '../src/index.js';
import { describeStoreContract } from './support/store-contract.js';

describeStoreContract('in-memory', () => ({
  async connect(timings) {
    return new MemoryIdempotencyStore(timings);
  },
  // One process, one map: a peer is the same store.
  async peer(store: IdempotencyStore) {
    return store;
  },
  async closeAll() {},
}));

describe('in-memory store clock', () => {
  it('expires a lease when the injected clock passes it, without waiting', async () => {
    let now = 1_000;
    const store = new MemoryIdempotencyStore({ leaseMs: 30_000, now: () => now });
    const key = IdempotencyKey.callback({ provider: 'blockonomics', deliveryKey: 'txid-1' });
    const fingerprint = fingerprintOf('txid-1');
    expect((await store.claim(key, fingerprint)).status).toBe('acquired');
    now += 29_999;
    expect(await store.claim(key, fingerprint)).toEqual({ status: 'in-flight', leaseRemainingMs: 1 });
    now += 1;
    expect((await store.claim(key, fingerprint)).status).toBe('acquired');
  });
});
