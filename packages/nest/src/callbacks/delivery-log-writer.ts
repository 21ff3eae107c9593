import { type CallbackDeliveryEntry, type PaymentsStore } from '../store/payments-store.js';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { PaymentsMetrics } from '../observability/payments-metrics.js';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { DELIVERY_LOG_DEFAULTS, type DeliveryLogOptions, type PaymentsModuleOptions } from '../payments.options.js';
import { PAYMENTS_STORE } from '../tokens.js';

type DropReason = 'queue-full' | 'write-failed';

/**
 * The callback log, written off the response path: entries wait in a bounded queue and are
 * inserted in batches (one multi-row INSERT each) when a batch is full, on a timer, when the log is
 * read through the API, and on shutdown. The log is troubleshooting data, not the record of
 * payments (the ledger is): when the queue is full or the database refuses a batch, entries are
 * dropped, counted (`cryptopay_delivery_log_dropped_total`) and reported in a warning.
 */
@Injectable()
export class DeliveryLogWriter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DeliveryLog');
  private readonly settings: Required<DeliveryLogOptions>;
  private queued: CallbackDeliveryEntry[] = [];
  private writing: Promise<void> = Promise.resolve();
  private flushRequested = false;
  private timer: NodeJS.Timeout | null = null;
  private unreported: { count: number; reason: string } | null = null;

  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(PaymentsMetrics) private readonly metrics: PaymentsMetrics,
    @Inject(PAYMENTS_MODULE_OPTIONS) options: PaymentsModuleOptions,
  ) {
    this.settings = { ...DELIVERY_LOG_DEFAULTS, ...options.deliveryLog };
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.settings.flushIntervalMs);
    this.timer.unref();
  }

  /** Runs before the module closes the store (on its application shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Queues an entry; never waits for the database. */
  add(entry: CallbackDeliveryEntry): void {
    if (this.queued.length >= this.settings.maxQueued) {
      this.drop(1, 'queue-full', `the queue holds ${this.settings.maxQueued} entries already`);
      return;
    }
    this.queued.push(entry);
    if (this.queued.length >= this.settings.batchSize && !this.flushRequested) {
      this.flushRequested = true;
      void this.flush();
    }
  }

  /** Writes everything queued so far; resolves once it is written or dropped. Never rejects. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeQueued());
    return this.writing;
  }

  private async writeQueued(): Promise<void> {
    this.flushRequested = false;
    while (this.queued.length > 0) {
      const batch = this.queued.splice(0, this.settings.batchSize);
      try {
        await this.store.deliveries.recordMany(batch);
      } catch (error) {
        this.drop(batch.length, 'write-failed', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
    }
    this.reportDrops();
  }

  private drop(count: number, reason: DropReason, detail: string): void {
    this.metrics.deliveryLogDropped.inc({ reason }, count);
    this.unreported = { count: (this.unreported?.count ?? 0) + count, reason: detail };
  }

  /** One warning per flush at most, however many entries a burst dropped. */
  private reportDrops(): void {
    if (!this.unreported) return;
    const { count, reason } = this.unreported;
    this.unreported = null;
    this.logger.warn(`${count} callback log ${count === 1 ? 'entry' : 'entries'} not written (${reason}); the callbacks themselves were answered and applied as usual`);
  }
}
