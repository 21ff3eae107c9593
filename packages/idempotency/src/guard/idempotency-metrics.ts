import type { KeyPurpose } from '../keys/idempotency-key.js';
import type { StoreOperation } from '../store/idempotency-store.js';

/** Counters the app wires to Prometheus. Labels are bounded: a purpose or a store operation, never a key. */
export interface IdempotencyMetrics {
  claimAcquired(purpose: KeyPurpose): void;
  /** A duplicate answered with the stored outcome. */
  duplicateAnswered(purpose: KeyPurpose): void;
  inFlightConflict(purpose: KeyPurpose): void;
  fingerprintMismatch(purpose: KeyPurpose): void;
  storeError(operation: StoreOperation): void;
  /** The handler outlived its lease and another claim took the key: the lease is too short. */
  leaseLost(purpose: KeyPurpose): void;
}

export const NOOP_IDEMPOTENCY_METRICS: IdempotencyMetrics = {
  claimAcquired: () => undefined,
  duplicateAnswered: () => undefined,
  inFlightConflict: () => undefined,
  fingerprintMismatch: () => undefined,
  storeError: () => undefined,
  leaseLost: () => undefined,
};
