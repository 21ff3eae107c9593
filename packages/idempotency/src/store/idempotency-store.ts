import type { Fingerprint } from '../keys/fingerprint.js';
import type { IdempotencyKey } from '../keys/idempotency-key.js';

/**
 * The answer remembered for a key and replayed to its duplicates. Strings only besides the status, so it
 * round-trips exactly: no number in a body is ever re-parsed.
 */
export interface StoredOutcome {
  status: number;
  /** Only the headers the caller chose to keep, e.g. `content-type`. Lower-case names. */
  headers: Record<string, string>;
  body: string;
  /**
   * Never sent: what the first run wants its replays to know, e.g. the invoice a callback was applied to.
   * Strings only, like the rest.
   */
  context?: Record<string, string>;
}

export type ClaimResult =
  | { status: 'acquired'; token: string }
  | { status: 'in-flight'; leaseRemainingMs: number }
  | { status: 'completed'; outcome: StoredOutcome }
  | { status: 'mismatch' };

/**
 * What a read-only look at a key found. Unlike a claim it takes nothing and changes nothing, so it may
 * come before the checks that a claim must wait for; the caller compares the fingerprint itself, with
 * `sameFingerprint` (a completed key may keep only its first 128 bits).
 */
export type PeekResult =
  | { status: 'absent' }
  | { status: 'in-flight'; fingerprint: Fingerprint }
  | { status: 'completed'; fingerprint: Fingerprint; outcome: StoredOutcome };

export interface StoreTimings {
  /** How long a claim holds its key before a crashed owner's key frees itself. */
  leaseMs: number;
  /** How long a completed key and its outcome are remembered. */
  resultTtlMs: number;
}

export const DEFAULT_STORE_TIMINGS: StoreTimings = {
  leaseMs: 30_000,
  // BlockBee retries callbacks for 3 days; a result must outlive every retry.
  resultTtlMs: 72 * 60 * 60 * 1000,
};

export type StoreOperation = 'claim' | 'complete' | 'release' | 'peek' | 'ping';

/** The store could not answer (down, timed out, corrupt entry). Never means "not a duplicate". */
export class IdempotencyStoreError extends Error {
  override readonly name = 'IdempotencyStoreError';

  constructor(
    readonly operation: StoreOperation,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`Idempotency store unavailable during ${operation}: ${reason}`, options);
  }
}

/**
 * Claims keys for exactly-once processing. Each operation is atomic. `complete` and `release` act only while
 * the token still owns the key and answer whether they did.
 */
export interface IdempotencyStore {
  claim(key: IdempotencyKey, fingerprint: Fingerprint): Promise<ClaimResult>;
  /** `resultTtlMs`: how long this outcome is remembered, default the store's `resultTtlMs`. */
  complete(key: IdempotencyKey, token: string, outcome: StoredOutcome, resultTtlMs?: number): Promise<boolean>;
  release(key: IdempotencyKey, token: string): Promise<boolean>;
  /** Reads the key's entry in one round trip without claiming it, extending it or changing anything. */
  peek(key: IdempotencyKey): Promise<PeekResult>;
  /** One round trip to the store (readiness); throws {@link IdempotencyStoreError} when it does not answer. */
  ping(): Promise<void>;
  /**
   * Waits up to `timeoutMs` for the connection, answering whether it is up. Until it is, every operation
   * fails fast (commands are never queued).
   */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}
