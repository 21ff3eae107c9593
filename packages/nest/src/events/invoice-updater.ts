import { type CoinRegistry, DEFAULT_MERCHANT_ID, type Invoice, InvoiceConcurrencyError, type InvoiceEvent, type StoredInvoice } from '@cryptopay/invoice';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { CheckoutUrls } from '../checkout/checkout-urls.js';
import { PaymentsMetrics } from '../observability/payments-metrics.js';
import { type CallbackDeliveryEntry, type PaymentsStore, type PaymentsStoreTransaction } from '../store/payments-store.js';
import { COIN_REGISTRY, PAYMENTS_STORE } from '../tokens.js';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service.js';
import { webhookEventsOf } from '../webhooks/webhook-events.js';
import { type WebhookEventEntry } from '../webhooks/webhook-store.port.js';

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
 * concurrent changes of one invoice, on any instance, wait for each other. The change's webhook
 * events (the outbox) are written by the same statement; the in-process events are best-effort.
 */
@Injectable()
export class InvoiceUpdater {
  private readonly logger = new Logger('Payments');

  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(EventEmitter2) private readonly events: EventEmitter2,
    @Inject(PaymentsMetrics) private readonly metrics: PaymentsMetrics,
    @Inject(COIN_REGISTRY) private readonly coins: CoinRegistry,
    @Inject(WebhookDispatcher) private readonly webhooks: WebhookDispatcher,
    @Inject(CheckoutUrls) private readonly checkoutUrls: CheckoutUrls,
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

  /** The webhook events of a change to `invoice`, to be written with it (the outbox). */
  webhookEvents(invoice: Invoice, events: readonly InvoiceEvent[]): WebhookEventEntry[] {
    return webhookEventsOf(storedFactsOf(invoice), events, this.coins, this.checkoutUrls.forInvoice(invoice.id));
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
      const events = this.webhookEvents(next.invoice, next.events);
      await store.invoices.update(next.invoice, { previous: current, ...(delivery ? { delivery: delivery() } : {}), ...(events.length > 0 ? { events } : {}) });
    } else if (delivery && logUnchanged) {
      await store.deliveries.record(delivery());
    }
    return next;
  }

  /**
   * After a commit: emits each event under its type (`invoice.settled`, ...) in-process, at most
   * once (listeners' failures are theirs), and wakes this instance's webhook dispatcher, whose
   * events the commit already holds.
   */
  publish(events: readonly InvoiceEvent[]): void {
    if (events.length > 0) this.webhooks.wake();
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

/**
 * The invoice as `GET /v1/invoices/:id` shows it: stores read invoices as `StoredInvoice`, and the
 * invoice package's changes copy every field of the invoice they change, so its creation facts are there.
 */
function storedFactsOf(invoice: Invoice): StoredInvoice {
  const stored = invoice as Partial<StoredInvoice> & Invoice;
  return {
    ...invoice,
    minimumPayment: stored.minimumPayment ?? null,
    redirectUrl: stored.redirectUrl ?? null,
    merchantId: stored.merchantId ?? DEFAULT_MERCHANT_ID,
    providerAccountId: stored.providerAccountId ?? null,
  };
}
