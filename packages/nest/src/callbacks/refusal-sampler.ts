/** What a window of refusals left out of the logs: how many, from which sources (the busiest first). */
export interface UnloggedRefusals {
  readonly total: number;
  readonly bySource: readonly (readonly [source: string, count: number])[];
}

/** Sources tracked per window at most; refusals from further sources count against {@link OTHER_SOURCES}. */
const MAX_SOURCES = 10_000;
const OTHER_SOURCES = 'other sources';

/**
 * Per source IP, the first `perSource` refusals of each window are logged and stored; the rest are
 * only counted, and told in one summary per window ({@link takeUnlogged}). Anyone can send a request
 * that is refused before authentication, so logging each one would let a flood fill the database and
 * the process log; the first few per source still show who probes and why they were refused.
 */
export class RefusalSampler {
  private admitted = new Map<string, number>();
  private unlogged = new Map<string, number>();

  constructor(private readonly perSource: number) {}

  /** Whether this refusal from `source` is logged (else it is counted for the summary). */
  admits(source: string): boolean {
    const key = this.admitted.has(source) || this.admitted.size < MAX_SOURCES ? source : OTHER_SOURCES;
    const count = this.admitted.get(key) ?? 0;
    if (count < this.perSource) {
      this.admitted.set(key, count + 1);
      return true;
    }
    this.unlogged.set(key, (this.unlogged.get(key) ?? 0) + 1);
    return false;
  }

  /** Ends the window: what it did not log (null when nothing), and every source starts again. */
  takeUnlogged(): UnloggedRefusals | null {
    const unlogged = this.unlogged;
    this.admitted = new Map();
    this.unlogged = new Map();
    if (unlogged.size === 0) return null;
    const bySource = [...unlogged].sort(([, a], [, b]) => b - a);
    return { total: bySource.reduce((sum, [, count]) => sum + count, 0), bySource };
  }
}
