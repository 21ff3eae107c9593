import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Fingerprint } from '../keys/fingerprint.js';
import type { IdempotencyKey } from '../keys/idempotency-key.js';
import {
  type ClaimResult,
  IdempotencyStoreError,
  type IdempotencyStore,
  type PeekResult,
  type StoredOutcome,
} from '../store/idempotency-store.js';
import { assertStorableOutcome } from '../store/outcome-codec.js';
import { IDEMPOTENCY_METRICS, IDEMPOTENCY_RECENT_OUTCOMES, IDEMPOTENCY_RETENTION, IDEMPOTENCY_STORE } from '../module/idempotency.tokens.js';
import { DEFAULT_RESULT_RETENTION, type ResultRetention, resultTtlFor, type RunOptions } from './result-retention.js';
import type { GuardResult } from './guard-result.js';
import type { IdempotencyMetrics } from './idempotency-metrics.js';
import { type RecentOutcome, RecentOutcomes } from './recent-outcomes.js';

/**
 * Runs a handler at most once per key: claim, run, then complete (success) or release (throw or 5xx).
 * Used by the `@Idempotent()` interceptor and directly by pipelines that only know the key after their own
 * checks (a provider callback's delivery key, after its signature is verified).
 */
@Injectable()
export class IdempotencyGuardService {
  private readonly logger = new Logger('Idempotency');

  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    @Inject(IDEMPOTENCY_METRICS) private readonly metrics: IdempotencyMetrics,
    @Optional() @Inject(IDEMPOTENCY_RECENT_OUTCOMES) private readonly recent: RecentOutcomes = RecentOutcomes.none(),
    @Optional() @Inject(IDEMPOTENCY_RETENTION) private readonly retention: ResultRetention = DEFAULT_RESULT_RETENTION,
  ) {}

  /**
   * A handler that throws releases the key and the error propagates, so the sender's retry is processed.
   * `options.retryWindowMs`: how long the sender retries (a provider's callback retry window); the
   * outcome is then kept that long plus the configured margin instead of the store's result TTL.
   */
  async run(key: IdempotencyKey, fingerprint: Fingerprint, handler: () => Promise<StoredOutcome>, options: RunOptions = {}): Promise<GuardResult> {
    const claim = await this.claim(key, fingerprint);
    if (claim === undefined) return { kind: 'unavailable', stage: 'claim' };
    if (claim.status !== 'acquired') return this.answerUnclaimed(key, fingerprint, claim);
    this.metrics.claimAcquired(key.purpose);

    let outcome: StoredOutcome;
    try {
      outcome = await handler();
      assertStorableOutcome(outcome);
    } catch (error) {
      await this.release(key, claim.token);
      throw error;
    }
    // A 5xx says the work did not happen; remembering it would refuse every retry.
    if (outcome.status >= 500) {
      await this.release(key, claim.token);
      return { kind: 'executed', outcome };
    }
    if (!(await this.complete(key, claim.token, outcome, resultTtlFor(this.retention, options)))) return { kind: 'unavailable', stage: 'complete' };
    this.recent.remember(key, outcome, fingerprint);
    return { kind: 'executed', outcome };
  }

  /**
   * The stored outcome of a key already completed, found by a read-only look (in the outcomes this
   * process saw completed, else in the store): no claim, nothing written, so a duplicate can be
   * answered before the checks a claim has to wait for. `isSameRequest` decides
   * from the stored outcome (its context) and fingerprint whether it answers this request. null when
   * the key is free, in flight, not the same request, or the store did not answer: the caller then goes
   * the whole way, and its claim decides (a mismatch included) and reports an outage.
   */
  async completedOutcome(
    key: IdempotencyKey,
    isSameRequest: (outcome: StoredOutcome, fingerprint: Fingerprint) => boolean,
  ): Promise<StoredOutcome | null> {
    const completed = this.recent.get(key) ?? (await this.peekCompleted(key));
    if (!completed || !isSameRequest(completed.outcome, completed.fingerprint)) return null;
    this.metrics.duplicateAnswered(key.purpose);
    return completed.outcome;
  }

  private async peekCompleted(key: IdempotencyKey): Promise<RecentOutcome | null> {
    let peeked: PeekResult;
    try {
      peeked = await this.store.peek(key);
    } catch (error) {
      if (!(error instanceof IdempotencyStoreError)) throw error;
      // The claim that follows meets the same outage and logs it; counting this one is enough.
      this.metrics.storeError(error.operation);
      return null;
    }
    if (peeked.status !== 'completed') return null;
    this.recent.remember(key, peeked.outcome, peeked.fingerprint);
    return peeked;
  }

  private async claim(key: IdempotencyKey, fingerprint: Fingerprint): Promise<ClaimResult | undefined> {
    try {
      return await this.store.claim(key, fingerprint);
    } catch (error) {
      this.reportStoreError(key, error, 'answering 503 so the sender retries');
      return undefined;
    }
  }

  private answerUnclaimed(key: IdempotencyKey, fingerprint: Fingerprint, claim: Exclude<ClaimResult, { status: 'acquired' }>): GuardResult {
    switch (claim.status) {
      case 'completed':
        this.recent.remember(key, claim.outcome, fingerprint);
        this.metrics.duplicateAnswered(key.purpose);
        return { kind: 'replayed', outcome: claim.outcome };
      case 'in-flight':
        this.metrics.inFlightConflict(key.purpose);
        return { kind: 'in-flight', leaseRemainingMs: claim.leaseRemainingMs };
      case 'mismatch':
        this.metrics.fingerprintMismatch(key.purpose);
        return { kind: 'mismatch' };
    }
  }

  /** false when the outcome is not durably recorded: the caller must not answer a success. */
  private async complete(key: IdempotencyKey, token: string, outcome: StoredOutcome, resultTtlMs: number | undefined): Promise<boolean> {
    try {
      if (await this.store.complete(key, token, outcome, resultTtlMs)) return true;
      this.metrics.leaseLost(key.purpose);
      this.logger.error(`Handler for a ${key.purpose} key outlived its lease; answering 503 (raise leaseMs)`);
      return false;
    } catch (error) {
      this.reportStoreError(key, error, 'the handler ran but its outcome is not recorded; answering 503');
      return false;
    }
  }

  /** Best effort: if it fails, the lease expires by itself. */
  private async release(key: IdempotencyKey, token: string): Promise<void> {
    try {
      await this.store.release(key, token);
    } catch (error) {
      this.reportStoreError(key, error, 'the key frees itself when its lease ends');
    }
  }

  private reportStoreError(key: IdempotencyKey, error: unknown, consequence: string): void {
    if (!(error instanceof IdempotencyStoreError)) throw error;
    this.metrics.storeError(error.operation);
    this.logger.error(`${error.message} (${key.purpose} key); ${consequence}`);
  }
}
