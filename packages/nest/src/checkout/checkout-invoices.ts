import { type CoinRegistry, isInvoiceId, type StoredInvoice } from '@cryptopay/invoice';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { type PaymentsStore } from '../store/payments-store.js';
import { COIN_REGISTRY, PAYMENTS_STORE } from '../tokens.js';
import { type CheckoutModel, checkoutModelOf, type CheckoutStatus, checkoutStatusOf } from './checkout-status.js';

/** An unknown or malformed invoice id: the page answers with its 404 page, the JSON routes with a 404. */
export class CheckoutInvoiceNotFound extends NotFoundException {
  constructor() {
    // The id itself is not echoed: it came from the address bar.
    super('There is no payment request with this id.');
  }
}

/** Reads an invoice for the checkout routes; read-only, never a write. */
@Injectable()
export class CheckoutInvoices {
  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(COIN_REGISTRY) private readonly coins: CoinRegistry,
  ) {}

  /** Null for an unknown id, also for one not shaped like an invoice id (no query is made for it). */
  async find(id: string): Promise<StoredInvoice | null> {
    return isInvoiceId(id) ? this.store.invoices.findById(id) : null;
  }

  async model(id: string): Promise<CheckoutModel> {
    return checkoutModelOf(await this.require(id), this.coins, new Date());
  }

  async status(id: string): Promise<CheckoutStatus> {
    return checkoutStatusOf(await this.require(id), this.coins, new Date());
  }

  /** Null when the invoice is gone; for the event stream, which re-reads it. */
  async currentStatus(id: string): Promise<CheckoutStatus | null> {
    const invoice = await this.find(id);
    return invoice && checkoutStatusOf(invoice, this.coins, new Date());
  }

  private async require(id: string): Promise<StoredInvoice> {
    const invoice = await this.find(id);
    if (!invoice) throw new CheckoutInvoiceNotFound();
    return invoice;
  }
}
