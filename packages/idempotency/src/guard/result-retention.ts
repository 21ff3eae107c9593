/** How long completed outcomes are kept (module options `resultTtlMs`, `retryWindowMarginMs`). */
export interface ResultRetention {
  /** Added to a sender's declared retry window: its retries can start late and arrive late. */
  retryWindowMarginMs: number;
}

/** One hour past the window: a provider's retry queue can run behind, and a key costs little. */
export const DEFAULT_RESULT_RETENTION: ResultRetention = { retryWindowMarginMs: 60 * 60 * 1000 };

export interface RunOptions {
  /** How long the sender retries a delivery; absent: the store's result TTL applies. */
  retryWindowMs?: number;
}

/** undefined: the store's own result TTL. */
export function resultTtlFor(retention: ResultRetention, options: RunOptions): number | undefined {
  return options.retryWindowMs === undefined ? undefined : options.retryWindowMs + retention.retryWindowMarginMs;
}
