/** Deliveries remembered at most: the oldest is forgotten first (its next duplicate is then logged again). */
const CAPACITY = 10_000;

/**
 * At most one logged duplicate per delivery per interval. A duplicate is answered from the stored
 * answer and changes nothing; the first one of a delivery shows the provider retried and what it got
 * back, the hundredth in a minute shows nothing more, and writing each would let one retry storm fill
 * the log and the database. Every duplicate is still counted (`cryptopay_callbacks_total`).
 */
export class DuplicateLogLimiter {
  private readonly lastLogged = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether this duplicate of the delivery is logged; when it is, the interval starts again. */
  admits(provider: string, deliveryKey: string): boolean {
    if (this.intervalMs === 0) return true;
    const key = `${provider}\n${deliveryKey}`;
    const now = this.now();
    const last = this.lastLogged.get(key);
    if (last !== undefined && now - last < this.intervalMs) return false;
    this.lastLogged.delete(key);
    this.lastLogged.set(key, now);
    if (this.lastLogged.size > CAPACITY) this.lastLogged.delete(this.lastLogged.keys().next().value as string);
    return true;
  }
}
