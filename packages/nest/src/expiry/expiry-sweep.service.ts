import { applyClock } from '@cryptopay/invoice';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { InvoiceUpdater } from '../events/invoice-updater.js';
import { PaymentsMetrics } from '../observability/payments-metrics.js';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type ResolvedPaymentsOptions } from '../payments.options.js';
import { type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';

const BATCH = 100;

/**
 * Moves invoices to `expired`/`invalid` on time even when no callback arrives. Safe with several
 * app instances: the store hands each due invoice to one of them (SKIP LOCKED).
 */
@Injectable()
export class ExpirySweep implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ExpirySweep');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(InvoiceUpdater) private readonly updater: InvoiceUpdater,
    @Inject(PaymentsMetrics) private readonly metrics: PaymentsMetrics,
    @Inject(PAYMENTS_MODULE_OPTIONS) private readonly options: ResolvedPaymentsOptions,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.options.sweepIntervalMs;
    if (interval === 0) return;
    this.timer = setInterval(() => this.tick(), interval);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Sweeps until nothing is due at `now`; returns how many invoices it claimed and re-evaluated (as the metric counts them). */
  async sweep(now: Date = new Date()): Promise<number> {
    let claimedInAll = 0;
    for (;;) {
      const { claimed, events } = await this.store.transaction(async (tx) => {
        const due = await tx.invoices.claimDueForTimeCheck(now, BATCH);
        const changes = due.map((invoice) => applyClock(invoice, now)).filter((change) => change.events.length > 0);
        for (const change of changes) await tx.invoices.update(change.invoice, { events: this.updater.webhookEvents(change.invoice, change.events) });
        return { claimed: due.length, events: changes.flatMap((change) => change.events) };
      });
      claimedInAll += claimed;
      this.metrics.sweptInvoices.inc(claimed);
      this.updater.publish(events);
      // A full batch that changed nothing would be claimed again as is: stop until the next tick.
      if (claimed < BATCH || events.length === 0) return claimedInAll;
    }
  }

  private tick(): void {
    if (this.running) return; // the previous sweep is still going
    this.running = this.sweep()
      .catch((error: unknown) => this.logger.warn(`expiry sweep failed, retrying next tick: ${String(error)}`))
      .finally(() => (this.running = null));
  }
}
