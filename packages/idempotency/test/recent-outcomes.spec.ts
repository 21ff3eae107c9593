import { fingerprintOf, IdempotencyGuardService, IdempotencyKey, MemoryIdempotencyStore, RecentOutcomes, type StoredOutcome } from '../src/index.js';
import { RecordingMetrics } from './support/recording-metrics.js';

const ok: StoredOutcome = { status: 200, headers: { 'content-type': 'text/plain' }, body: '*ok*' };
const fingerprint = fingerprintOf('callback body');
const keyOf = (deliveryKey: string) => IdempotencyKey.callback({ provider: 'blockbee', deliveryKey });

describe('RecentOutcomes', () => {
  let now: number;
  const recent = (capacity: number) => new RecentOutcomes({ capacity, ttlMs: 1_000, clock: { now: () => now } });

  beforeEach(() => {
    now = 5_000;
  });

  it('gives back what it was told, until its TTL ends', () => {
    const outcomes = recent(10);
    outcomes.remember(keyOf('a'), ok, fingerprint);
    now = 6_000;
    expect(outcomes.get(keyOf('a'))).toEqual({ outcome: ok, fingerprint });
    now = 6_001;
    expect(outcomes.get(keyOf('a'))).toBeNull();
    expect(outcomes.size).toBe(0);
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const outcomes = recent(2);
    outcomes.remember(keyOf('a'), ok, fingerprint);
    outcomes.remember(keyOf('b'), ok, fingerprint);
    expect(outcomes.get(keyOf('a'))).not.toBeNull(); // a is now the most recent
    outcomes.remember(keyOf('c'), ok, fingerprint);
    expect(outcomes.size).toBe(2);
    expect(outcomes.get(keyOf('b'))).toBeNull();
    expect(outcomes.get(keyOf('a'))).not.toBeNull();
    expect(outcomes.get(keyOf('c'))).not.toBeNull();
  });

  it('keeps nothing with capacity 0', () => {
    const outcomes = recent(0);
    outcomes.remember(keyOf('a'), ok, fingerprint);
    expect(outcomes.get(keyOf('a'))).toBeNull();
  });
});

/** A store that forgets on request: shows which answers came from the process and which from the store. */
class ForgettingStore extends MemoryIdempotencyStore {
  peeks = 0;

  override peek(...args: Parameters<MemoryIdempotencyStore['peek']>): ReturnType<MemoryIdempotencyStore['peek']> {
    this.peeks += 1;
    return super.peek(...args);
  }
}

describe('IdempotencyGuardService with recent outcomes', () => {
  it('answers a duplicate of what it completed or peeked without asking the store again', async () => {
    const store = new ForgettingStore({ leaseMs: 30_000 });
    const metrics = new RecordingMetrics();
    const first = new IdempotencyGuardService(store, metrics, new RecentOutcomes({ capacity: 10, ttlMs: 60_000 }));
    const second = new IdempotencyGuardService(store, metrics, new RecentOutcomes({ capacity: 10, ttlMs: 60_000 }));
    const same = (_outcome: StoredOutcome, stored: string) => stored === fingerprint;

    await first.run(keyOf('a'), fingerprint, async () => ok);
    expect(await first.completedOutcome(keyOf('a'), same)).toEqual(ok);
    expect(store.peeks).toBe(0); // completed here: known without a round trip

    expect(await second.completedOutcome(keyOf('a'), same)).toEqual(ok);
    expect(await second.completedOutcome(keyOf('a'), same)).toEqual(ok);
    expect(store.peeks).toBe(1); // another process: one peek, then its own memory
    expect(metrics.count('duplicateAnswered', 'callback')).toBe(3);
  });

  it('does not keep a key that is in flight or free', async () => {
    const store = new ForgettingStore({ leaseMs: 30_000 });
    const guard = new IdempotencyGuardService(store, new RecordingMetrics(), new RecentOutcomes({ capacity: 10, ttlMs: 60_000 }));
    expect(await guard.completedOutcome(keyOf('free'), () => true)).toBeNull();
    await store.claim(keyOf('busy'), fingerprint);
    expect(await guard.completedOutcome(keyOf('busy'), () => true)).toBeNull();
    expect(await guard.completedOutcome(keyOf('busy'), () => true)).toBeNull();
    expect(store.peeks).toBe(3);
  });
});
