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
  readonly now?: () => number;
}

interface Kept {
  readonly completed: RecentOutcome;
  readonly expiresAt: number;
}

/**
 * The completed outcomes this process saw last, so a duplicate of one is answered without a round
 * trip to the store. Sound because completion is final: a completed key is never claimed, released
 * or rewritten again, only forgotten when its TTL ends, and the effect it records is durable. So a
 * kept outcome is at worst older than the store's copy, never different from it. Bounded by
 * `capacity` (LRU) and `ttlMs`.
 */
export class RecentOutcomes {
  private readonly kept = new Map<string, Kept>();
  private readonly now: () => number;

  constructor(private readonly options: RecentOutcomesOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Keeps nothing: every lookup goes to the store. */
  static none(): RecentOutcomes {
    return new RecentOutcomes({ capacity: 0, ttlMs: 0 });
  }

  get(key: IdempotencyKey): RecentOutcome | null {
    const found = this.kept.get(key.path);
    if (!found) return null;
    this.kept.delete(key.path);
    if (found.expiresAt <= this.now()) return null;
    this.kept.set(key.path, found);
    return found.completed;
  }

  remember(key: IdempotencyKey, outcome: StoredOutcome, fingerprint: Fingerprint): void {
    if (this.options.capacity === 0) return;
    this.kept.delete(key.path);
    this.kept.set(key.path, { completed: { outcome, fingerprint }, expiresAt: this.now() + this.options.ttlMs });
    if (this.kept.size > this.options.capacity) this.kept.delete(this.kept.keys().next().value as string);
  }

  get size(): number {
    return this.kept.size;
  }
}
