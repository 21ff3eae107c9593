import { type StoredInvoice } from '@cryptopay/invoice';
import { type Kysely, sql } from 'kysely';
import { guard } from '../database/failures.js';
import { type StoreDatabase } from '../database/schema.js';
import { type PostgresInvoiceRepository } from '../invoices/invoice-repository.js';

/**
 * When each invoice is next reconciled with its provider (`invoices.next_reconcile_at`). The
 * reconciler on every instance claims due invoices with `FOR UPDATE SKIP LOCKED`, as the expiry sweep
 * does, and leases them by moving their time forward in the same statement: the provider is asked
 * outside any transaction (a slow provider never holds a row lock a callback waits for), and an
 * instance that dies mid-way leaves the invoice due again once its lease ends.
 */
export class ReconciliationQueue {
  constructor(
    private readonly db: Kysely<StoreDatabase>,
    private readonly invoices: PostgresInvoiceRepository,
  ) {}

  /** Up to `limit` invoices due at `now`, oldest due first, each leased until `leaseUntil`. */
  async claimDue(now: Date, limit: number, leaseUntil: Date): Promise<StoredInvoice[]> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('limit must be a positive whole number');
    const claimed = await guard(() =>
      this.db
        .updateTable('invoices')
        .set({ next_reconcile_at: leaseUntil })
        .where('id', 'in', (due) =>
          due
            .selectFrom('invoices')
            .select('id')
            .where('next_reconcile_at', '<=', now)
            .orderBy('next_reconcile_at')
            .limit(limit)
            .forUpdate()
            .skipLocked(),
        )
        .returning('id')
        .execute(),
    );
    return this.invoices.findManyById(claimed.map((row) => row.id));
  }

  /** Sets when the invoice is next reconciled; null: never again. */
  async schedule(invoiceId: string, at: Date | null): Promise<void> {
    await guard(() => this.db.updateTable('invoices').set({ next_reconcile_at: at }).where('id', '=', invoiceId).execute());
  }

  /**
   * Brings an invoice's next reconciliation forward to `at` (a refused callback names it). An invoice
   * that will never be reconciled again, or is due sooner, is left as it is.
   */
  async bringForward(invoiceId: string, at: Date): Promise<void> {
    await guard(() => this.db.updateTable('invoices').set({ next_reconcile_at: at }).where('id', '=', invoiceId).where('next_reconcile_at', '>', at).execute());
  }

  /** Brings every scheduled reconciliation forward to `at` (an outage ended); returns how many moved. */
  async bringAllForward(at: Date): Promise<number> {
    const result = await guard(() => this.db.updateTable('invoices').set({ next_reconcile_at: at }).where('next_reconcile_at', '>', at).executeTakeFirst());
    return Number(result.numUpdatedRows);
  }

  /** When the invoice is next reconciled (null: never); for tests and the operator's view. */
  async nextAt(invoiceId: string): Promise<Date | null> {
    const row = await guard(() => this.db.selectFrom('invoices').select('next_reconcile_at').where('id', '=', invoiceId).executeTakeFirst());
    return row?.next_reconcile_at ?? null;
  }

  /** How many invoices are due at `now`: the reconciler's backlog (a metric). */
  async dueCount(now: Date): Promise<number> {
    const row = await guard(() =>
      this.db.selectFrom('invoices').select(sql<string>`count(*)`.as('due')).where('next_reconcile_at', '<=', now).executeTakeFirstOrThrow(),
    );
    return Number(row.due);
  }
}
