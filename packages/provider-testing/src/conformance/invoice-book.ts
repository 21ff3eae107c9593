import { applyObservation, type Invoice, InvoiceError, type Payment, type PaymentObservation } from '@cryptopay/invoice';
import { bindReconciledPayment, type CallbackOutcome, type InvoiceLocator, type ProviderAdapter, type ReconciledPayment } from '@cryptopay/provider-kit';

/**
 * Invoices kept and changed the way the core keeps and changes them: real `Invoice`s, found by id or
 * by address, changed only by the invoice package's `applyObservation`, and each delivery key applied
 * once and to one invoice, as the core's idempotency claim does. No merge rule of its own.
 */
export class InvoiceBook {
  private readonly byId = new Map<string, Invoice>();
  private readonly idByAddress = new Map<string, string>();
  /** Delivery key → the invoice it was applied to. */
  private readonly applied = new Map<string, string>();

  add(invoice: Invoice): void {
    this.byId.set(invoice.id, invoice);
    this.idByAddress.set(invoice.address, invoice.id);
  }

  /** The invoice as it stands now, found as the core finds it (by id, or by its provider's address). */
  find(locator: InvoiceLocator): Invoice | undefined {
    const id = locator.by === 'id' ? locator.invoiceId : this.idByAddress.get(locator.address);
    return id === undefined ? undefined : this.byId.get(id);
  }

  get(invoiceId: string): Invoice | undefined {
    return this.byId.get(invoiceId);
  }

  /** The invoice's payment by transaction, as the invoice package recorded it. */
  payment(invoiceId: string, txid: string): Payment | undefined {
    return this.byId.get(invoiceId)?.payments.find((payment) => payment.txid === txid);
  }

  /**
   * Applies a bound observation once per delivery key: a repeat for the same invoice is a duplicate,
   * for another invoice a 400 (the core's fingerprint mismatch); an observation the invoice refuses is
   * a 400 with the invoice package's reason, and uses no key.
   */
  apply(deliveryKey: string, invoiceId: string, observation: PaymentObservation, receivedAt: Date): CallbackOutcome {
    const first = this.applied.get(deliveryKey);
    if (first !== undefined) {
      return first === invoiceId ? { kind: 'duplicate' } : { kind: 'rejected', status: 400, reason: 'the delivery key was first used for another invoice' };
    }
    const invoice = this.byId.get(invoiceId);
    if (!invoice) throw new Error(`invoice ${invoiceId} is not in the book`);
    try {
      this.byId.set(invoiceId, applyObservation(invoice, observation, receivedAt).invoice);
    } catch (error) {
      if (error instanceof InvoiceError) return { kind: 'rejected', status: 400, reason: error.message };
      throw error;
    }
    this.applied.set(deliveryKey, invoiceId);
    return { kind: 'applied' };
  }

  /**
   * Applies what a provider's records report for an invoice the way the core's reconciler does: each
   * payment bound by the same policy as a callback and applied with `applyObservation`, no delivery
   * key. Returns how many changed the invoice; a payment the binding or the invoice refuses is a failure.
   */
  reconcile(adapter: Pick<ProviderAdapter, 'name'>, invoiceId: string, payments: readonly ReconciledPayment[], now: Date): number {
    let changed = 0;
    for (const payment of payments) {
      const invoice = this.byId.get(invoiceId);
      if (!invoice) throw new Error(`invoice ${invoiceId} is not in the book`);
      const binding = bindReconciledPayment(adapter, payment, invoice);
      if (!('observation' in binding)) throw new Error(`reconciled payment ${payment.txid} does not fit invoice ${invoiceId}: ${binding.reason}`);
      const next = applyObservation(invoice, binding.observation, now).invoice;
      if (next !== invoice) changed++;
      this.byId.set(invoiceId, next);
    }
    return changed;
  }

  /** A copy to try callbacks against: what is applied to it leaves this book as it is. */
  copy(): InvoiceBook {
    const copy = new InvoiceBook();
    for (const invoice of this.byId.values()) copy.add(invoice);
    for (const [key, invoiceId] of this.applied) copy.applied.set(key, invoiceId);
    return copy;
  }
}
