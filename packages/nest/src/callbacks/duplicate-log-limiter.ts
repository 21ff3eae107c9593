import { LRUCache } from 'lru-cache';

/** Deliveries remembered at most: the least recently logged is forgotten first (its next duplicate is then logged again). */
const CAPACITY = 10_000;

/**
 * At most one logged duplicate per delivery per interval. A duplicate is answered from the stored
 * answer and changes nothing; the first one of a delivery shows the provider retried and what it got
 * back, the hundredth in a minute shows nothing more, and writing each would let one retry storm fill
 * the log and the database. Every duplicate is still counted (`cryptopay_callbacks_total`).
 */
export class DuplicateLogLimiter {
  /** Deliveries whose duplicate was logged less than an interval ago; null when every duplicate is logged. */
  private readonly recentlyLogged: LRUCache<string, true> | null;

  constructor(intervalMs: number, clock?: { now(): number }) {
    this.recentlyLogged = intervalMs === 0 ? null : new LRUCache({ max: CAPACITY, ttl: intervalMs, ttlResolution: 0, ...(clock ? { perf: clock } : {}) });
  }

  /** Whether this duplicate of the delivery is logged; when it is, the interval starts again. */
  admits(provider: string, deliveryKey: string): boolean {
    if (!this.recentlyLogged) return true;
    const key = `${provider}\n${deliveryKey}`;
    if (this.recentlyLogged.has(key)) return false;
    this.recentlyLogged.set(key, true);
    return true;
  }
}
