import { type Invoice, InvoiceConcurrencyError, type InvoiceEvent } from '@cryptopay/invoice';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { PaymentsMetrics } from '../observability/payments-metrics.js';
import { type CallbackDeliveryEntry, type PaymentsStore, type PaymentsStoreTransaction } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';

/** A pure change of an invoice: the evolved invoice and the domain events it caused. */
export type InvoiceChange = (invoice: Invoice) => { readonly invoice: Invoice; readonly events: readonly InvoiceEvent[] };

export class InvoiceNotFoundError extends Error {
  override readonly name = 'InvoiceNotFoundError';

  constructor(readonly invoiceId: string) {
    super(`invoice ${invoiceId} does not exist`);
  }
}

/**
 * Changes one invoice and publishes the resulting domain events only after the change is committed.
 * The change is first written against the invoice as the caller read it, in one atomic statement
 * whose version check refuses it if anything changed the invoice since (one round trip, no
 * transaction); only then is it applied again under the row lock (`SELECT … FOR UPDATE`), where
 * concurrent changes of one invoice, on any instance, wait for each other.
 */
@Injectable()
export class InvoiceUpdater {
  private readonly logger = new Logger('Payments');

  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(EventEmitter2) private readonly events: EventEmitter2,
    @Inject(PaymentsMetrics) private readonly metrics: PaymentsMetrics,
  ) {}

  /**
   * `delivery` is the log entry of the callback that causes the change: committed with it, or not at
   * all; with `logUnchanged: false` it is written only with a change (the reconciler logs what it found, not every look).
   */
  async update(read: Invoice, change: InvoiceChange, delivery?: () => CallbackDeliveryEntry, { logUnchanged = true } = {}): Promise<Invoice> {
    let next: ReturnType<InvoiceChange>;
    try {
      next = await this.write(this.store, read, change, delivery, logUnchanged);
    } catch (error) {
      if (!(error instanceof InvoiceConcurrencyError)) throw error;
      next = await this.store.transaction(async (tx) => {
        const current = await tx.invoices.findByIdForUpdate(read.id);
        if (!current) throw new InvoiceNotFoundError(read.id);
        return this.write(tx, current, change, delivery, logUnchanged);
      });
    }
    this.publish(next.events);
    return next.invoice;
  }

  private async write(
    store: PaymentsStore | PaymentsStoreTransaction,
    current: Invoice,
    change: InvoiceChange,
    delivery: (() => CallbackDeliveryEntry) | undefined,
    logUnchanged: boolean,
  ): Promise<ReturnType<InvoiceChange>> {
    const next = change(current);
    // An application that changes nothing writes only its log entry.
    if (next.events.length > 0 || next.invoice !== current) {
      await store.invoices.update(next.invoice, { previous: current, ...(delivery ? { delivery: delivery() } : {}) });
    } else if (delivery && logUnchanged) {
      await store.deliveries.record(delivery());
    }
    return next;
  }

  /** Emits each event under its type (`invoice.settled`, ...); listeners' failures are theirs. */
  publish(events: readonly InvoiceEvent[]): void {
    for (const event of events) {
      this.metrics.transitions.inc({ type: event.type });
      try {
        this.events.emit(event.type, event);
      } catch (error) {
        // The change is committed; a failing listener must not turn it into an error answer.
        this.logger.error(`a listener of ${event.type} for invoice ${event.invoiceId} failed: ${String(error)}`);
      }
    }
  }
}
