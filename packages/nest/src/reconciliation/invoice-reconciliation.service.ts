import { applyObservation, type Invoice, InvoiceError, type PaymentObservation, type StoredInvoice } from '@cryptopay/invoice';
import { bindReconciledPayment, type ProviderAdapter } from '@cryptopay/provider-kit';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InvoiceUpdater } from '../events/invoice-updater.js';
import { ProviderAccountAdapters } from '../merchants/account-adapters.js';
import { PaymentsMetrics } from '../observability/payments-metrics.js';
import { ProviderRegistry } from '../providers/provider-registry.js';
import { type CallbackDeliveryEntry, type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';

/** What reconciling one invoice did. */
export interface ReconciliationResult {
  /** The invoice after every observation was applied (the one given when nothing changed). */
  readonly invoice: Invoice;
  /** How many of the provider's observations changed the invoice. */
  readonly changed: number;
  /** How many the provider reported in all. */
  readonly observed: number;
}

/** The invoice's provider has no `reconcile` capability: a 422 on the API, never scheduled. */
export class ReconciliationUnsupportedError extends Error {
  override readonly name = 'ReconciliationUnsupportedError';

  constructor(readonly provider: string) {
    super(`provider "${provider}" cannot reconcile: it offers no way to read what it recorded for an invoice`);
  }
}

/**
 * Asks an invoice's provider what it recorded for the invoice and applies each payment through the
 * same path as a callback: the same binding policy, the same pure, monotonic `applyObservation`, the
 * same one-statement write with its version check and row-lock retry, and the ledger's unique key.
 * So a payment reconciled and also delivered by callback — in either order, or at once on two
 * instances — counts once. No idempotency claim is taken: a repeated observation changes nothing.
 * Each change is logged in the callback log with source `reconcile`, in the same write.
 */
@Injectable()
export class InvoiceReconciliation {
  private readonly logger = new Logger('Reconciliation');

  constructor(
    @Inject(ProviderRegistry) private readonly providers: ProviderRegistry,
    @Inject(InvoiceUpdater) private readonly updater: InvoiceUpdater,
    @Inject(PaymentsMetrics) private readonly metrics: PaymentsMetrics,
    @Inject(ProviderAccountAdapters) private readonly accounts: ProviderAccountAdapters,
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
  ) {}

  /** Whether the invoice's provider can reconcile at all (a merchant's account is an instance of the same adapter). */
  canReconcile(invoice: Pick<StoredInvoice, 'provider' | 'providerAccountId'>): boolean {
    if (invoice.providerAccountId !== null) return this.accounts.factory(invoice.provider) !== undefined;
    return this.providers.has(invoice.provider) && typeof this.providers.get(invoice.provider).reconcile === 'function';
  }

  /** The adapter that speaks for the invoice: its merchant's provider account's, or the environment's. */
  private async adapterFor(invoice: StoredInvoice): Promise<ProviderAdapter | null> {
    if (invoice.providerAccountId === null) return this.providers.has(invoice.provider) ? this.providers.get(invoice.provider) : null;
    const account = await this.store.merchants.findProviderAccount(invoice.providerAccountId);
    return account ? this.accounts.adapterOf(account) : null;
  }

  /** Throws the provider's `ProviderError` when it cannot be asked; then nothing changed. */
  async reconcile(invoice: StoredInvoice, now: Date = new Date()): Promise<ReconciliationResult> {
    const adapter = await this.adapterFor(invoice);
    if (!adapter?.reconcile) throw new ReconciliationUnsupportedError(invoice.provider);
    const started = performance.now();
    let reported;
    try {
      reported = await adapter.reconcile(invoice);
    } catch (error) {
      this.metrics.reconciliations.inc({ provider: adapter.name, outcome: 'failed' });
      throw error;
    }
    let current: Invoice = invoice;
    let changed = 0;
    for (const payment of reported) {
      const binding = bindReconciledPayment(adapter, payment, invoice);
      if (!('observation' in binding)) {
        this.logger.warn(`invoice ${invoice.id}: ${adapter.name} reported a payment that does not fit the invoice, not applied: ${binding.reason}`);
        continue;
      }
      const applied = await this.apply(adapter, current, binding.observation, now, started);
      if (applied.changed) changed++;
      current = applied.invoice;
    }
    this.metrics.reconciliations.inc({ provider: adapter.name, outcome: changed > 0 ? 'changed' : 'unchanged' });
    if (changed > 0) this.logger.log(`invoice ${invoice.id}: reconciliation with ${adapter.name} found ${changed} change(s) the callbacks had not brought`);
    return { invoice: current, changed, observed: reported.length };
  }

  private async apply(adapter: ProviderAdapter, invoice: Invoice, observation: PaymentObservation, now: Date, started: number): Promise<{ invoice: Invoice; changed: boolean }> {
    // Set by the run that was written (the change runs again under the row lock after a concurrent write).
    let changed = false;
    let found = false;
    const change = (current: Invoice) => {
      const result = applyObservation(current, observation, now);
      changed = result.invoice !== current;
      found = result.events.some((event) => event.type === 'invoice.payment_received');
      return result;
    };
    try {
      const next = await this.updater.update(invoice, change, () => logEntry(adapter, invoice.id, observation, now, started), { logUnchanged: false });
      if (found) this.metrics.paymentsFoundByReconciliation.inc({ provider: adapter.name });
      return { invoice: next, changed };
    } catch (error) {
      // A record that contradicts the ledger (another amount for a recorded transaction) is not applied; a person must look.
      if (!(error instanceof InvoiceError)) throw error;
      this.logger.warn(`invoice ${invoice.id}: ${adapter.name}'s record of ${observation.txid} was not applied: ${error.message}`);
      return { invoice, changed: false };
    }
  }
}

/** The callback log entry of a change the reconciler made: what it found, where, and that it was not a callback. */
function logEntry(adapter: ProviderAdapter, invoiceId: string, observation: PaymentObservation, now: Date, started: number): CallbackDeliveryEntry {
  const { coin, txid, address, amount, kind, confirmations, rbf, test } = observation;
  return {
    provider: adapter.name,
    receivedAt: now,
    remoteIp: null,
    method: 'RECONCILE',
    target: `reconcile:${adapter.capabilities.reconciliation ?? 'unknown'}`,
    headers: {},
    body: JSON.stringify({ coin, txid, address, amount: amount.toString(), kind, confirmations, rbf, test }),
    verdict: 'applied',
    reason: 'found by reconciliation',
    invoiceId,
    deliveryKey: `reconcile:${coin}:${txid}:${kind}:${address}`,
    responseStatus: 200,
    durationMs: Math.round(performance.now() - started),
    source: 'reconcile',
  };
}
