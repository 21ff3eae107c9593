/** Injection token of the `IdempotencyStore` the module created. */
export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');
/** Injection token of the `IdempotencyMetrics` sink (no-op unless configured). */
export const IDEMPOTENCY_METRICS = Symbol('IDEMPOTENCY_METRICS');
/** Injection token of the `RecentOutcomes` the guard answers duplicates from before asking the store. */
export const IDEMPOTENCY_RECENT_OUTCOMES = Symbol('IDEMPOTENCY_RECENT_OUTCOMES');
/** Injection token of the guard's `ResultRetention` (the margin kept past a sender's retry window). */
export const IDEMPOTENCY_RETENTION = Symbol('IDEMPOTENCY_RETENTION');
