import { LRUCache } from 'lru-cache';
import type { Fingerprint } from '../keys/fingerprint.js';
import type { IdempotencyKey } from '../keys/idempotency-key.js';
import type { StoredOutcome } from '../store/idempotency-store.js';

/** A completed key as this process saw it. */
export interface RecentOutcome {
  readonly outcome: StoredOutcome;
  readonly fingerprint: Fingerprint;
}

export interface RecentOutcomesOptions {
  /** Most keys kept; the least recently used goes first. 0 keeps none. */
  readonly capacity: number;
  /** How long one is kept after it was seen (the store's result TTL). */
  readonly ttlMs: number;
  /** The clock the TTL is measured on (tests); `performance` by default. */
  readonly clock?: { now(): number };
}

/**
 * The completed outcomes this process saw last, so a duplicate of one is answered without a round
 * trip to the store. Sound because completion is final: a completed key is never claimed, released
 * or rewritten again, only forgotten when its TTL ends, and the effect it records is durable. So a
 * kept outcome is at worst older than the store's copy, never different from it. Bounded by
 * `capacity` (LRU) and `ttlMs`.
 */
export class RecentOutcomes {
  /** Null when nothing is kept (capacity 0). */
  private readonly kept: LRUCache<string, RecentOutcome> | null;

  constructor(options: RecentOutcomesOptions) {
    this.kept =
      options.capacity === 0
        ? null
        : new LRUCache({ max: options.capacity, ttl: options.ttlMs, ttlResolution: 0, ...(options.clock ? { perf: options.clock } : {}) });
  }

  /** Keeps nothing: every lookup goes to the store. */
  static none(): RecentOutcomes {
    return new RecentOutcomes({ capacity: 0, ttlMs: 0 });
  }

  get(key: IdempotencyKey): RecentOutcome | null {
    return this.kept?.get(key.path) ?? null;
  }

  remember(key: IdempotencyKey, outcome: StoredOutcome, fingerprint: Fingerprint): void {
    this.kept?.set(key.path, { outcome, fingerprint });
  }

  get size(): number {
    return this.kept?.size ?? 0;
  }
}
