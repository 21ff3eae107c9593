import { type StoredInvoice } from '@cryptopay/invoice';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from '@cryptopay/idempotency';
import { ProviderError } from '@cryptopay/provider-kit';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type ResolvedPaymentsOptions } from '../payments.options.js';
import { type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';
import { InvoiceReconciliation } from './invoice-reconciliation.service.js';
import { nextReconcileAt } from './reconcile-schedule.js';

/** What one pass of the reconciler did. */
export interface ReconcilerPass {
  readonly claimed: number;
  readonly changed: number;
  readonly failed: number;
}

/**
 * The scheduled reconciler, on every instance: claims invoices whose reconciliation is due (`SKIP
 * LOCKED`, leased, as the expiry sweep claims), asks each one's provider, and schedules the next
 * look (`reconciliation.schedule` after creation, until the monitoring window ends). A provider that
 * fails retryably is asked again after `retryAfterMs`; nothing changes meanwhile. When the database
 * or Redis comes back after an outage — when callbacks were refused with 503 and may have run out of
 * retries — every scheduled invoice is reconciled again soon.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Reconciler');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private outage = false;

  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
    @Inject(InvoiceReconciliation) private readonly reconciliation: InvoiceReconciliation,
    @Inject(PAYMENTS_MODULE_OPTIONS) private readonly options: ResolvedPaymentsOptions,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.options.reconciliation.intervalMs;
    if (interval === 0) return;
    this.timer = setInterval(() => this.tick(), interval);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Reconciles every invoice due at `now`, batch by batch; store failures are thrown. */
  async reconcileDue(now: Date = new Date()): Promise<ReconcilerPass> {
    const { batchSize, leaseMs } = this.options.reconciliation;
    const pass = { claimed: 0, changed: 0, failed: 0 };
    for (;;) {
      const due = await this.store.reconciliations.claimDue(now, batchSize, new Date(now.getTime() + leaseMs));
      for (const invoice of due) {
        const outcome = await this.reconcileOne(invoice, now);
        if (outcome === 'changed') pass.changed++;
        if (outcome === 'failed') pass.failed++;
      }
      pass.claimed += due.length;
      if (due.length < batchSize) return pass;
    }
  }

  /**
   * Notes whether the database and Redis answer; when both do again after either did not, brings
   * every scheduled reconciliation forward to `soonMs` from now. Returns whether that happened.
   */
  async checkOutage(now: Date = new Date()): Promise<boolean> {
    const up = (await answers(() => this.store.ping())) && (await answers(() => this.idempotency.ping()));
    if (!up) {
      if (!this.outage) this.logger.warn('the database or Redis is unavailable: once both answer again, every open invoice is reconciled');
      this.outage = true;
      return false;
    }
    if (!this.outage) return false;
    const moved = await this.store.reconciliations.bringAllForward(new Date(now.getTime() + this.options.reconciliation.soonMs));
    this.outage = false;
    this.logger.log(`the outage is over: ${moved} invoice(s) will be reconciled within ${this.options.reconciliation.soonMs} ms`);
    return true;
  }

  /** A refused callback named this invoice: reconcile it soon. Best effort: a failure is only logged. */
  soon(invoiceId: string): void {
    const at = new Date(Date.now() + this.options.reconciliation.soonMs);
    this.store.reconciliations.bringForward(invoiceId, at).catch((error: unknown) => {
      this.logger.warn(`could not bring invoice ${invoiceId}'s reconciliation forward: ${String(error)}`);
    });
  }

  private async reconcileOne(invoice: StoredInvoice, now: Date): Promise<'changed' | 'unchanged' | 'failed'> {
    const { schedule, retryAfterMs } = this.options.reconciliation;
    if (!this.reconciliation.canReconcile(invoice)) {
      await this.store.reconciliations.schedule(invoice.id, null);
      return 'unchanged';
    }
    try {
      const result = await this.reconciliation.reconcile(invoice, now);
      await this.store.reconciliations.schedule(invoice.id, nextReconcileAt(result.invoice, now, schedule));
      return result.changed > 0 ? 'changed' : 'unchanged';
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      const retryable = error.retryable;
      const delay = error.retryAfterSeconds === null ? retryAfterMs : Math.max(error.retryAfterSeconds * 1_000, retryAfterMs);
      this.logger.warn(`invoice ${invoice.id}: ${error.message}; ${retryable ? `retrying in ${delay} ms` : 'trying again at the next scheduled time'}`);
      const next = retryable ? new Date(now.getTime() + delay) : nextReconcileAt(invoice, now, schedule);
      await this.store.reconciliations.schedule(invoice.id, next);
      return 'failed';
    }
  }

  private tick(): void {
    if (this.running) return; // the previous pass is still going
    this.running = this.checkOutage()
      .then(() => this.reconcileDue())
      .catch((error: unknown) => this.logger.warn(`reconciliation pass failed, retrying next tick: ${String(error)}`))
      .finally(() => (this.running = null));
  }
}

async function answers(ping: () => Promise<unknown>): Promise<boolean> {
  try {
    await ping();
    return true;
  } catch {
    return false;
  }
}
