import type { Fingerprint } from '../keys/fingerprint.js';
import type { IdempotencyKey } from '../keys/idempotency-key.js';
import {
  type ClaimResult,
  DEFAULT_STORE_TIMINGS,
  type IdempotencyStore,
  type PeekResult,
  type StoredOutcome,
  type StoreTimings,
} from './idempotency-store.js';
import { assertStorableOutcome } from './outcome-codec.js';
import { newOwnerToken } from './owner-token.js';

type Entry =
  | { state: 'in-flight'; fingerprint: Fingerprint; token: string; expiresAt: number }
  | { state: 'completed'; fingerprint: Fingerprint; outcome: StoredOutcome; expiresAt: number };

export interface MemoryIdempotencyStoreOptions extends Partial<StoreTimings> {
  /** Milliseconds clock; tests may move it to expire leases without waiting. */
  now?: () => number;
}

/**
 * Same semantics as the Redis store, inside one process. SINGLE-PROCESS ONLY: two app instances would each
 * accept the same delivery. For the embedded default and for consumers' unit tests.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly timings: StoreTimings;
  private readonly now: () => number;
  private nextSweepAt = 0;

  constructor(options: MemoryIdempotencyStoreOptions = {}) {
    this.timings = { leaseMs: options.leaseMs ?? DEFAULT_STORE_TIMINGS.leaseMs, resultTtlMs: options.resultTtlMs ?? DEFAULT_STORE_TIMINGS.resultTtlMs };
    this.now = options.now ?? Date.now;
  }

  async claim(key: IdempotencyKey, fingerprint: Fingerprint): Promise<ClaimResult> {
    this.sweepExpired();
    const entry = this.live(key);
    if (!entry) {
      const token = newOwnerToken();
      this.entries.set(key.path, { state: 'in-flight', fingerprint, token, expiresAt: this.now() + this.timings.leaseMs });
      return { status: 'acquired', token };
    }
    if (entry.fingerprint !== fingerprint) return { status: 'mismatch' };
    if (entry.state === 'completed') return { status: 'completed', outcome: structuredClone(entry.outcome) };
    return { status: 'in-flight', leaseRemainingMs: entry.expiresAt - this.now() };
  }

  async complete(key: IdempotencyKey, token: string, outcome: StoredOutcome, resultTtlMs = this.timings.resultTtlMs): Promise<boolean> {
    assertStorableOutcome(outcome);
    const entry = this.live(key);
    if (entry?.state !== 'in-flight' || entry.token !== token) return false;
    this.entries.set(key.path, {
      state: 'completed',
      fingerprint: entry.fingerprint,
      outcome: structuredClone(outcome),
      expiresAt: this.now() + resultTtlMs,
    });
    return true;
  }

  async release(key: IdempotencyKey, token: string): Promise<boolean> {
    const entry = this.live(key);
    if (entry?.state !== 'in-flight' || entry.token !== token) return false;
    return this.entries.delete(key.path);
  }

  async peek(key: IdempotencyKey): Promise<PeekResult> {
    const entry = this.live(key);
    if (!entry) return { status: 'absent' };
    if (entry.state === 'in-flight') return { status: 'in-flight', fingerprint: entry.fingerprint };
    return { status: 'completed', fingerprint: entry.fingerprint, outcome: structuredClone(entry.outcome) };
  }

  async ping(): Promise<void> {}

  async ready(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private live(key: IdempotencyKey): Entry | undefined {
    const entry = this.entries.get(key.path);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key.path);
      return undefined;
    }
    return entry;
  }

  /** Expired entries nobody asks about again would otherwise stay forever; a sweep per lease is enough. */
  private sweepExpired(): void {
    const now = this.now();
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + this.timings.leaseMs;
    for (const [path, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(path);
    }
  }
}
