import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { catchError, distinctUntilChanged, EMPTY, exhaustMap, filter, finalize, from, type Observable, shareReplay, Subject, takeUntil, timer } from 'rxjs';
import { CheckoutInvoices } from './checkout-invoices.js';
import { type ResolvedCheckoutOptions } from './checkout.options.js';
import { type CheckoutStatus } from './checkout-status.js';
import { CHECKOUT_OPTIONS } from './checkout.tokens.js';

/**
 * The status of an invoice as it changes, for the event stream. Every instance re-reads the invoice
 * from the store every `pollIntervalMs` while a page watches it: a change made by any instance (a
 * callback, the sweep) reaches every page, with no broker beyond the database that already holds the
 * invoice — PGlite and an app without Redis included. All pages watching one invoice on an instance
 * share one read; nothing is read for an invoice no page watches.
 */
@Injectable()
export class CheckoutWatch implements OnModuleDestroy {
  private readonly logger = new Logger('Checkout');
  private readonly streams = new Map<string, Observable<CheckoutStatus>>();
  private readonly closing = new Subject<void>();

  constructor(
    @Inject(CheckoutInvoices) private readonly invoices: CheckoutInvoices,
    @Inject(CHECKOUT_OPTIONS) private readonly options: ResolvedCheckoutOptions,
  ) {}

  /** Emits the current status at once, then on every change (the countdown alone is not a change). */
  watch(invoiceId: string): Observable<CheckoutStatus> {
    const existing = this.streams.get(invoiceId);
    if (existing) return existing;
    const stream = timer(0, this.options.pollIntervalMs).pipe(
      exhaustMap(() => from(this.invoices.currentStatus(invoiceId)).pipe(catchError((error: unknown) => this.skipRead(error)))),
      filter((status): status is CheckoutStatus => status !== null),
      distinctUntilChanged(sameState),
      takeUntil(this.closing),
      finalize(() => this.streams.delete(invoiceId)),
      shareReplay({ bufferSize: 1, refCount: true }),
    );
    this.streams.set(invoiceId, stream);
    return stream;
  }

  /** Ends every stream, so the shutdown's request drain is not held up by open pages (they reconnect elsewhere). */
  onModuleDestroy(): void {
    this.closing.next();
  }

  /** A failed read (the database away) is skipped: the next tick reads again, the page keeps its last state. */
  private skipRead(error: unknown): Observable<never> {
    this.logger.warn(`checkout status read failed: ${error instanceof Error ? error.message : String(error)}`);
    return EMPTY;
  }
}

function sameState(a: CheckoutStatus, b: CheckoutStatus): boolean {
  return a.status === b.status && a.exceptionStatus === b.exceptionStatus && a.amountPaid === b.amountPaid && a.paymentUri === b.paymentUri;
}
