import { type StoredOutcome } from '@cryptopay/idempotency';
import { type Acknowledgement, type CallbackOutcome, type RawCallback, resolveClientIp, TrustedProxies } from '@cryptopay/provider-kit';
import { type CallbackDeliveryEntry } from '../store/payments-store.js';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { PaymentsMetrics } from '../observability/payments-metrics.js';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type ResolvedPaymentsOptions } from '../payments.options.js';
import { ProviderRegistry } from '../providers/provider-registry.js';
import { deliveryEntry, redactTarget, type DeliveryVerdictFacts } from './delivery-record.js';
import { DeliveryLogWriter } from './delivery-log-writer.js';
import { DuplicateLogLimiter } from './duplicate-log-limiter.js';
import { RefusalSampler, type UnloggedRefusals } from './refusal-sampler.js';
import { cut, MAX_SUMMARY_TARGET_CHARS, summarizedEntry } from './refusal-summary.js';

/** What the pipeline did with one callback. */
export interface Processed {
  readonly outcome: CallbackOutcome;
  readonly invoiceId: string | null;
  readonly deliveryKey?: string;
  /** Why an authentic callback changed nothing (the adapter's ignoreReason), for the log. */
  readonly note?: string;
  /** A replayed first answer, when the delivery was already applied. */
  readonly replay?: StoredOutcome;
  /** Its log entry was written in the transaction that applied it. */
  readonly logged?: boolean;
  /** Refused before it was authenticated (source IP, secret, signature): logged as a sampled, capped summary. */
  readonly unauthenticated?: boolean;
}

/**
 * Where every callback ends up: the delivery log, the process log when an operator must see it, the
 * metrics. A callback refused before authentication is anyone's to send: it is recorded as a capped
 * summary, and only a sample per source IP ({@link RefusalSampler}); the rest are counted and told in
 * one line per interval.
 */
@Injectable()
export class CallbackRecorder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Callbacks');
  private readonly proxies: TrustedProxies;
  private readonly duplicates: DuplicateLogLimiter;
  private readonly refusals: RefusalSampler;
  private readonly refusalIntervalMs: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(DeliveryLogWriter) private readonly log: DeliveryLogWriter,
    @Inject(PaymentsMetrics) private readonly metrics: PaymentsMetrics,
    @Inject(ProviderRegistry) private readonly providers: ProviderRegistry,
    @Inject(PAYMENTS_MODULE_OPTIONS) options: ResolvedPaymentsOptions,
  ) {
    this.proxies = new TrustedProxies(options.trustedProxies);
    this.duplicates = new DuplicateLogLimiter(options.deliveryLog.duplicateIntervalMs);
    this.refusals = new RefusalSampler(options.deliveryLog.refusalsPerSource);
    this.refusalIntervalMs = options.deliveryLog.refusalIntervalMs;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.reportUnlogged(), this.refusalIntervalMs);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.reportUnlogged();
  }

  entry(provider: string, raw: RawCallback, processed: Processed, ack: Acknowledgement, durationMs: number): CallbackDeliveryEntry {
    const { outcome } = processed;
    return this.entryOf(provider, raw, ack, durationMs, {
      verdict: outcome.kind,
      reason: 'reason' in outcome ? outcome.reason : (processed.note ?? null),
      invoiceId: processed.invoiceId,
      deliveryKey: processed.deliveryKey ?? null,
    });
  }

  /**
   * Once the answer is known. Never waits: the log entry is queued, unless it was written with the
   * change, or it is a duplicate the {@link DuplicateLogLimiter} only counts.
   */
  answered(provider: string, raw: RawCallback, processed: Processed, ack: Acknowledgement, durationMs: number): void {
    this.metrics.callbacks.inc({ provider, verdict: processed.outcome.kind });
    this.metrics.callbackDuration.observe({ provider }, durationMs / 1000);
    if (processed.unauthenticated) {
      this.refusedUnauthenticated(provider, raw, this.entry(provider, raw, processed, ack, durationMs));
      return;
    }
    if (!this.logs(provider, processed)) return;
    const entry = this.entry(provider, raw, processed, ack, durationMs);
    this.report(entry, raw);
    if (!processed.logged) this.log.add(entry);
  }

  private logs(provider: string, processed: Processed): boolean {
    if (processed.outcome.kind !== 'duplicate' || processed.deliveryKey === undefined) return true;
    return this.duplicates.admits(provider, processed.deliveryKey);
  }

  /**
   * A callback refused before any adapter looked at it (a provider that is not enabled, a body that
   * could not be read): logged as rejected with the name as given. Its metrics label is the provider,
   * or `unknown` for a name that is none: a label per made-up name would grow without bound.
   */
  refused(provider: string, raw: RawCallback, reason: string, ack: Acknowledgement): void {
    this.metrics.callbacks.inc({ provider: this.metricsLabel(provider), verdict: 'rejected' });
    this.refusedUnauthenticated(provider, raw, this.entryOf(provider, raw, ack, 0, { verdict: 'rejected', reason, invoiceId: null, deliveryKey: null }));
  }

  /** A sample per source IP is logged, as a capped summary; the rest only counted. */
  private refusedUnauthenticated(provider: string, raw: RawCallback, entry: CallbackDeliveryEntry): void {
    if (!this.refusals.admits(entry.remoteIp ?? 'unknown')) {
      this.metrics.unloggedRefusals.inc({ provider: this.metricsLabel(provider) });
      return;
    }
    const summary = summarizedEntry(entry, raw);
    this.report(summary, raw);
    this.log.add(summary);
  }

  private metricsLabel(provider: string): string {
    return this.providers.has(provider) ? provider : 'unknown';
  }

  /** One line per interval for the refusals the sample left out, busiest sources first. */
  private reportUnlogged(): void {
    const unlogged: UnloggedRefusals | null = this.refusals.takeUnlogged();
    if (!unlogged) return;
    const sources = unlogged.bySource.slice(0, 10).map(([source, count]) => `${count} from ${source}`);
    const more = unlogged.bySource.length > 10 ? `, and ${unlogged.bySource.length - 10} more sources` : '';
    this.logger.warn(`${unlogged.total} more callbacks refused before authentication were not logged (sampled per source IP): ${sources.join(', ')}${more}`);
  }

  private entryOf(provider: string, raw: RawCallback, ack: Acknowledgement, durationMs: number, verdict: DeliveryVerdictFacts): CallbackDeliveryEntry {
    return deliveryEntry({
      ...verdict,
      provider,
      secrets: this.providers.secrets(provider),
      raw,
      remoteIp: resolveClientIp(raw.socketAddress, raw.headers['x-forwarded-for'], this.proxies),
      responseStatus: ack.status,
      durationMs,
    });
  }

  /**
   * The outcomes an operator must see in the process log (the access log is at debug): a rejection
   * (a rotated secret, a proxy rewriting requests, a probe), a retry-later, a callback for no invoice
   * of ours. Applied and duplicate callbacks are in the delivery log only. The target is redacted of
   * every provider's secret parameters, not only this one's: the process log holds no secret of any.
   */
  private report(entry: CallbackDeliveryEntry, raw: RawCallback): void {
    if (entry.verdict === 'applied' || entry.verdict === 'duplicate') return;
    const { queryParams, values } = this.providers.secrets();
    const target = cut(redactTarget(raw.target, queryParams, values), MAX_SUMMARY_TARGET_CHARS);
    const line = `${entry.provider} callback ${entry.verdict} (${entry.responseStatus}): ${entry.reason ?? 'for no invoice of ours'}; ${entry.method} ${target} from ${entry.remoteIp}`;
    if (entry.verdict === 'unmatched') this.logger.log(line);
    else this.logger.warn(line);
  }
}
