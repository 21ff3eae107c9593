import { fingerprintOf, IdempotencyKey, MemoryIdempotencyStore, type StoredOutcome } from '../src/index.js';

const fingerprint = fingerprintOf('POST', '/v1/invoices', '{}');
const keyOf = (n: number) => IdempotencyKey.apiRequest({ caller: 'c', idempotencyKey: `k${n}` });
const created: StoredOutcome = { status: 201, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"id":1}' };

/** A store on a clock of the test's own. */
function storeAt(start = 1_000_000) {
  const clock = { now: start };
  const store = new MemoryIdempotencyStore({ leaseMs: 1_000, resultTtlMs: 5_000, now: () => clock.now });
  /** How many keys the store still holds in memory (what the sweep bounds). */
  const held = () => (store as unknown as { entries: Map<string, unknown> }).entries.size;
  return { store, clock, held };
}

describe('the in-memory store over time', () => {
  it('keeps a completed outcome until its result TTL, to the millisecond', async () => {
    const { store, clock } = storeAt();
    const claimed = await store.claim(keyOf(1), fingerprint);
    if (claimed.status !== 'acquired') throw new Error('expected to acquire');
    expect(await store.complete(keyOf(1), claimed.token, created)).toBe(true);
    clock.now += 4_999;
    expect(await store.claim(keyOf(1), fingerprint)).toEqual({ status: 'completed', outcome: created });
    clock.now += 1;
    expect((await store.claim(keyOf(1), fingerprint)).status).toBe('acquired');
  });

  it('keeps an outcome for the TTL its completion asks for', async () => {
    const { store, clock } = storeAt();
    const claimed = await store.claim(keyOf(1), fingerprint);
    if (claimed.status !== 'acquired') throw new Error('expected to acquire');
    await store.complete(keyOf(1), claimed.token, created, 60_000);
    clock.now += 59_999;
    expect((await store.peek(keyOf(1))).status).toBe('completed');
    clock.now += 1;
    expect(await store.peek(keyOf(1))).toEqual({ status: 'absent' });
  });

  it('forgets expired keys nobody asks about again at the next claim, at most once a lease', async () => {
    const { store, clock, held } = storeAt();
    await store.claim(keyOf(1), fingerprint);
    await store.claim(keyOf(2), fingerprint);
    expect(held()).toBe(2);
    clock.now += 999;
    await store.claim(keyOf(3), fingerprint); // within the lease of the first sweep: no sweep
    expect(held()).toBe(3);
    clock.now += 1; // keys 1 and 2 expire now, a lease after the first sweep
    await store.claim(keyOf(4), fingerprint);
    expect(held()).toBe(2);
  });

  it('sweeps no more often than once a lease: a key expiring in between waits for the next sweep', async () => {
    const { store, clock, held } = storeAt();
    await store.claim(keyOf(1), fingerprint); // sweeps; the next sweep is due a lease later
    clock.now += 500;
    await store.claim(keyOf(2), fingerprint);
    clock.now += 500;
    await store.claim(keyOf(3), fingerprint); // sweeps key 1; key 2 expires in 500 ms
    expect(held()).toBe(2);
    clock.now += 600;
    await store.claim(keyOf(4), fingerprint); // key 2 has expired, but the next sweep is 400 ms away
    expect(held()).toBe(3);
    clock.now += 400;
    await store.claim(keyOf(5), fingerprint);
    expect(held()).toBe(2); // keys 2 and 3 swept; 4 and 5 live
  });

  it('hands back a copy: changing a replayed outcome changes nothing stored', async () => {
    const { store } = storeAt();
    const claimed = await store.claim(keyOf(1), fingerprint);
    if (claimed.status !== 'acquired') throw new Error('expected to acquire');
    const outcome = { ...created, headers: { ...created.headers } };
    await store.complete(keyOf(1), claimed.token, outcome);
    outcome.headers['content-type'] = 'text/html';
    const replayed = await store.claim(keyOf(1), fingerprint);
    if (replayed.status !== 'completed') throw new Error('expected the outcome');
    replayed.outcome.body = 'changed';
    expect(await store.claim(keyOf(1), fingerprint)).toEqual({ status: 'completed', outcome: created });
    expect(await store.peek(keyOf(1))).toEqual({ status: 'completed', fingerprint, outcome: created });
  });

  it('is always ready, and forgets everything when closed', async () => {
    const { store } = storeAt();
    await store.claim(keyOf(1), fingerprint);
    expect(await store.ready()).toBe(true);
    await store.close();
    expect(await store.peek(keyOf(1))).toEqual({ status: 'absent' });
  });
});

describe('what an outcome must be to be stored and replayed as-is', () => {
  const invalid: [string, unknown][] = [
    ['a status below 100', { ...created, status: 99 }],
    ['a status above 599', { ...created, status: 600 }],
    ['a fractional status', { ...created, status: 200.5 }],
    ['a body that is not a string', { ...created, body: { id: 1 } }],
    ['a header that is not a string', { ...created, headers: { 'retry-after': 5 } }],
    ['headers that are null', { ...created, headers: null }],
    ['context that is null', { ...created, context: null }],
    ['no object at all', null],
  ];

  it.each(invalid)('refuses %s, saying what it needs', async (_case, outcome) => {
    const { store } = storeAt();
    const claimed = await store.claim(keyOf(1), fingerprint);
    if (claimed.status !== 'acquired') throw new Error('expected to acquire');
    await expect(store.complete(keyOf(1), claimed.token, outcome as StoredOutcome)).rejects.toThrow(
      new TypeError('An idempotency outcome needs an integer status 100-599, string headers, a string body and string context values.'),
    );
  });

  it.each([100, 599])('accepts the status %i', async (status) => {
    const { store } = storeAt();
    const claimed = await store.claim(keyOf(1), fingerprint);
    if (claimed.status !== 'acquired') throw new Error('expected to acquire');
    await expect(store.complete(keyOf(1), claimed.token, { ...created, status, context: { invoice: 'inv_1' } })).resolves.toBe(true);
  });
});
