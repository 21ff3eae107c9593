import { StoreUnavailableError } from '../errors.js';

interface Waiter {
  readonly admit: () => void;
  readonly refuse: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Hands one connection to one user at a time, in arrival order. A wait is bounded: a caller that
 * would wait longer than `waitMs` (a stuck transaction, or a query issued outside the open
 * transaction that holds the connection) gets {@link StoreUnavailableError} instead of hanging.
 */
export class ConnectionGate {
  private busy = false;
  private closed = false;
  private readonly waiters: Waiter[] = [];

  constructor(private readonly waitMs: number) {}

  async enter(): Promise<void> {
    if (this.closed) throw new StoreUnavailableError('closed');
    if (!this.busy) {
      this.busy = true;
      return;
    }
    await new Promise<void>((admit, refuse) => {
      const waiter: Waiter = { admit, refuse, timer: setTimeout(() => this.expire(waiter), this.waitMs) };
      this.waiters.push(waiter);
    });
  }

  leave(): void {
    const next = this.waiters.shift();
    if (!next) {
      this.busy = false;
      return;
    }
    clearTimeout(next.timer);
    next.admit();
  }

  /** Refuses everyone still waiting; later callers are refused at once. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.refuse(new StoreUnavailableError('closed'));
    }
  }

  private expire(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index === -1) return;
    this.waiters.splice(index, 1);
    waiter.refuse(new StoreUnavailableError('timeout'));
  }
}
