import type { IdempotencyMetrics } from '../../src/index.js';

type Counter = keyof IdempotencyMetrics;

/** Counts every metric call, labels included, e.g. `storeError:claim`. */
export class RecordingMetrics implements IdempotencyMetrics {
  readonly counts = new Map<string, number>();

  count(name: Counter, label: string): number {
    return this.counts.get(`${name}:${label}`) ?? 0;
  }

  claimAcquired = (purpose: string) => this.bump('claimAcquired', purpose);
  duplicateAnswered = (purpose: string) => this.bump('duplicateAnswered', purpose);
  inFlightConflict = (purpose: string) => this.bump('inFlightConflict', purpose);
  fingerprintMismatch = (purpose: string) => this.bump('fingerprintMismatch', purpose);
  storeError = (operation: string) => this.bump('storeError', operation);
  leaseLost = (purpose: string) => this.bump('leaseLost', purpose);

  private bump(name: Counter, label: string): void {
    const id = `${name}:${label}`;
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }
}
