import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { PaymentsMetrics } from '../observability/payments-metrics.js';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type ResolvedPaymentsOptions } from '../payments.options.js';
import { type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';

/** Entries deleted per statement: short transactions, whatever the backlog. */
const BATCH = 1_000;
const DAY_MS = 86_400_000;

/**
 * Keeps the callback log to `deliveryLog.retentionDays`: on start and every `pruneIntervalMs`,
 * deletes older entries in batches. Safe with several app instances: each batch passes over rows
 * another instance is deleting (SKIP LOCKED), so they share the work. The log is troubleshooting
 * data; the payment ledger, which it never touches, is the record of payments.
 */
@Injectable()
export class DeliveryLogRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DeliveryLog');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(PaymentsMetrics) private readonly metrics: PaymentsMetrics,
    @Inject(PAYMENTS_MODULE_OPTIONS) private readonly options: ResolvedPaymentsOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.deliveryLog.retentionDays === 0) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.deliveryLog.pruneIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Deletes every entry received more than the retention before `now`; says how many it deleted. */
  async prune(now: Date = new Date()): Promise<number> {
    const olderThan = new Date(now.getTime() - this.options.deliveryLog.retentionDays * DAY_MS);
    let deleted = 0;
    for (;;) {
      const batch = await this.store.deliveries.prune(olderThan, BATCH);
      deleted += batch;
      this.metrics.deliveryLogPruned.inc(batch);
      if (batch < BATCH) return deleted;
    }
  }

  private tick(): void {
    if (this.running) return; // the previous run is still going
    this.running = this.prune()
      .then((deleted) => deleted > 0 && this.logger.log(`deleted ${deleted} callback log entries older than ${this.options.deliveryLog.retentionDays} days`))
      .catch((error: unknown) => this.logger.warn(`callback log pruning failed, retrying next interval: ${String(error)}`))
      .finally(() => (this.running = null));
  }
}
