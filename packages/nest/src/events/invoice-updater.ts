import { type Invoice, type InvoiceEvent } from '@cryptopay/invoice';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { PaymentsMetrics } from '../observability/payments-metrics.js';
import { type Store, type StoreTransaction } from '@cryptopay/store';
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
 * Changes one invoice in a database transaction (row locked, so concurrent callbacks for one
 * invoice serialize) and publishes the resulting domain events only after the commit.
 */
@Injectable()
export class InvoiceUpdater {
  private readonly logger = new Logger('Payments');

  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: Store,
    @Inject(EventEmitter2) private readonly events: EventEmitter2,
    @Inject(PaymentsMetrics) private readonly metrics: PaymentsMetrics,
  ) {}

  /** `alongside` writes more in the same transaction (a callback's log entry): committed with the change, or not at all. */
  async update(invoiceId: string, change: InvoiceChange, alongside?: (tx: StoreTransaction) => Promise<unknown>): Promise<Invoice> {
    const { invoice, events } = await this.store.transaction(async (tx) => {
      const current = await tx.invoices.findByIdForUpdate(invoiceId);
      if (!current) throw new InvoiceNotFoundError(invoiceId);
      const next = change(current);
      // An application that changes nothing writes nothing.
      if (next.events.length > 0 || next.invoice !== current) await tx.invoices.update(next.invoice);
      await alongside?.(tx);
      return next;
    });
    this.publish(events);
    return invoice;
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
