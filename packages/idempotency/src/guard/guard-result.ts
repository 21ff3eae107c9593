import type { StoredOutcome } from '../store/idempotency-store.js';

/**
 * What `IdempotencyGuardService.run` did. Only `executed` and `replayed` may be answered as a success;
 * `unavailable` must become a 503 so the sender retries (the guard fails closed).
 */
export type GuardResult =
  /** The handler ran; its outcome is stored unless it was a 5xx (then the key was released). */
  | { kind: 'executed'; outcome: StoredOutcome }
  /** A duplicate of a completed key: the first outcome, unchanged. */
  | { kind: 'replayed'; outcome: StoredOutcome }
  /** Another request holds the key; retry later. */
  | { kind: 'in-flight'; leaseRemainingMs: number }
  /** The key was first used for a different request. */
  | { kind: 'mismatch' }
  /** The store failed before the handler (claim) or after it succeeded (complete, or its lease was lost). */
  | { kind: 'unavailable'; stage: 'claim' | 'complete' };
