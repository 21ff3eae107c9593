import { type Invoice, InvoiceAlreadyExistsError, InvoiceConcurrencyError, type InvoiceRepository } from '@cryptopay/invoice';
import { type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import { DuplicatePaymentError } from '../errors.js';
import { guard } from '../database/failures.js';
import { type StoreDatabase } from '../database/schema.js';
import { inTransaction, isRepeatedConflictKey, violatedUniqueConstraint } from '../database/transactions.js';
import { invoiceColumns, type InvoiceRow, paymentRows, toInvoice } from './invoice-rows.js';

type InvoiceQuery = SelectQueryBuilder<StoreDatabase, 'invoices', InvoiceRow>;

const LEDGER_KEY = ['invoice_id', 'coin', 'txid', 'address'] as const;

/**
 * The invoice repository port over PostgreSQL or PGlite. An invoice and its payment ledger are
 * always written together in one transaction (the caller's, inside `store.transaction`).
 */
export class PostgresInvoiceRepository implements InvoiceRepository {
  constructor(protected readonly db: Kysely<StoreDatabase>) {}

  async create(invoice: Invoice): Promise<void> {
    await guard(() =>
      inTransaction(this.db, async (trx) => {
        await trx.insertInto('invoices').values({ id: invoice.id, ...invoiceColumns(invoice) }).execute();
        await this.writePayments(trx, invoice);
      }).catch((error: unknown) => {
        throw creationConflict(invoice, error);
      }),
    );
  }

  async findById(id: string): Promise<Invoice | null> {
    return guard(() => this.first(this.select().where('id', '=', id)));
  }

  async findByOrderId(orderId: string): Promise<Invoice[]> {
    return guard(() => this.load(this.select().where('order_id', '=', orderId).orderBy('created_at').orderBy('id')));
  }

  async findByAddress(provider: string, address: string): Promise<Invoice | null> {
    return guard(() => this.first(this.select().where('provider', '=', provider).where('address', '=', address)));
  }

  /**
   * Writes the invoice if the stored version is still `invoice.version - 1` (else
   * {@link InvoiceConcurrencyError}), and upserts its payments on the ledger key in the same
   * transaction. The ledger is append-only: a stored payment is never deleted.
   */
  async update(invoice: Invoice): Promise<void> {
    const expectedVersion = invoice.version - 1;
    await guard(() =>
      inTransaction(this.db, async (trx) => {
        const { numUpdatedRows } = await trx
          .updateTable('invoices')
          .set(invoiceColumns(invoice))
          .where('id', '=', invoice.id)
          .where('version', '=', expectedVersion)
          .executeTakeFirst();
        if (numUpdatedRows === 0n) throw new InvoiceConcurrencyError(invoice.id, expectedVersion);
        await this.writePayments(trx, invoice);
      }),
    );
  }

  async findDueForTimeCheck(now: Date, limit: number): Promise<Invoice[]> {
    return guard(() => this.load(this.due(now, limit)));
  }

  protected select(): InvoiceQuery {
    return this.db.selectFrom('invoices').selectAll();
  }

  protected due(now: Date, limit: number): InvoiceQuery {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('limit must be a positive whole number');
    return this.select().where('next_time_check_at', '<=', now).orderBy('next_time_check_at').orderBy('id').limit(limit);
  }

  protected async first(query: InvoiceQuery): Promise<Invoice | null> {
    const [invoice] = await this.load(query);
    return invoice ?? null;
  }

  /** Runs an invoice query, then reads the payments of the invoices it found in ledger order. */
  protected async load(query: InvoiceQuery): Promise<Invoice[]> {
    const rows = await query.execute();
    if (rows.length === 0) return [];
    const payments = await this.db
      .selectFrom('payments')
      .selectAll()
      .where('invoice_id', 'in', rows.map((row) => row.id))
      .orderBy('invoice_id')
      .orderBy('ordinal')
      .execute();
    return rows.map((row) => toInvoice(row, payments.filter((payment) => payment.invoice_id === row.id)));
  }

  private async writePayments(trx: Kysely<StoreDatabase>, invoice: Invoice): Promise<void> {
    const rows = paymentRows(invoice);
    if (rows.length === 0) return;
    try {
      await trx
        .insertInto('payments')
        .values(rows)
        .onConflict((conflict) =>
          conflict.columns(LEDGER_KEY).doUpdateSet((eb) => ({
            ordinal: eb.ref('excluded.ordinal'),
            amount: eb.ref('excluded.amount'),
            state: eb.ref('excluded.state'),
            confirmations: eb.ref('excluded.confirmations'),
            rbf: eb.ref('excluded.rbf'),
            test: eb.ref('excluded.test'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    } catch (error) {
      if (isRepeatedConflictKey(error)) throw new DuplicatePaymentError(invoice.id, { cause: error });
      throw error;
    }
  }
}

/** The repository inside `store.transaction`: adds the reads that lock rows until the commit. */
export class LockingInvoiceRepository extends PostgresInvoiceRepository {
  constructor(trx: Transaction<StoreDatabase>) {
    super(trx);
  }

  /**
   * Reads the invoice and locks its row until the transaction ends (`SELECT … FOR UPDATE`): a
   * concurrent callback for the same invoice, on any instance, waits here and then reads the
   * committed result instead of overwriting it.
   */
  async findByIdForUpdate(id: string): Promise<Invoice | null> {
    return guard(() => this.first(this.select().where('id', '=', id).forUpdate()));
  }

  /** {@link findByIdForUpdate} for a callback that names the payment address. */
  async findByAddressForUpdate(provider: string, address: string): Promise<Invoice | null> {
    return guard(() => this.first(this.select().where('provider', '=', provider).where('address', '=', address).forUpdate()));
  }

  /**
   * Claims up to `limit` invoices due for a time check and locks them until the transaction ends.
   * `SKIP LOCKED` passes over invoices another sweeper (or a callback) holds, so concurrent sweepers
   * never claim the same invoice and never wait on each other.
   */
  async claimDueForTimeCheck(now: Date, limit: number): Promise<Invoice[]> {
    return guard(() => this.load(this.due(now, limit).forUpdate().skipLocked()));
  }
}

function creationConflict(invoice: Invoice, error: unknown): unknown {
  const constraint = violatedUniqueConstraint(error);
  if (constraint === 'invoices_pkey') return new InvoiceAlreadyExistsError(invoice.id, 'id');
  if (constraint === 'invoices_provider_address_key') return new InvoiceAlreadyExistsError(invoice.id, 'address');
  return error;
}
