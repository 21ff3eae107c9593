import {
  DEFAULT_MERCHANT_ID,
  type Invoice,
  InvoiceAlreadyExistsError,
  InvoiceConcurrencyError,
  type InvoiceCreation,
  type InvoiceIdempotencyKey,
  type InvoiceRepository,
  type InvoiceUpdate,
  type KeyedInvoice,
  type StoredInvoice,
} from '@cryptopay/invoice';
import { type Kysely, type SelectQueryBuilder, sql, type Transaction } from 'kysely';
import { DuplicatePaymentError } from '../errors.js';
import { guard } from '../database/failures.js';
import { type StoreDatabase } from '../database/schema.js';
import { inTransaction, isRepeatedConflictKey, violatedUniqueConstraint } from '../database/transactions.js';
import { invoiceColumns, type InvoiceRow, jsonToPayment, type PaymentJson, paymentRows, toInvoice, toPayment } from './invoice-rows.js';
import { writeInteger } from '../database/integers.js';
import { prepared } from '../database/prepared-statements.js';
import { type CallbackDeliveryEntry } from '../deliveries/delivery-log.js';
import { invoiceWrite, paymentsWrite } from './invoice-write.js';
import { outboxWrite, type WebhookEventEntry } from '../webhooks/webhook-outbox.js';

/** What an update writes beside the invoice. */
export interface InvoiceWriteOptions extends InvoiceUpdate {
  /** The log entry of the callback that caused this change: stored with it, or not at all. */
  readonly delivery?: CallbackDeliveryEntry;
  /** The outbound webhook events of this change: stored with it, or not at all. */
  readonly events?: readonly WebhookEventEntry[];
}

/** What a creation writes beside the invoice. */
export interface InvoiceCreationWrite extends InvoiceCreation {
  /** The outbound webhook events of the creation: stored with the invoice, or not at all. */
  readonly events?: readonly WebhookEventEntry[];
}

/** An invoice row with its ledger aggregated in the same statement. */
type LoadedRow = InvoiceRow & { readonly ledger: PaymentJson[]; readonly snapshot_version: number | null };
type InvoiceQuery = SelectQueryBuilder<StoreDatabase, 'invoices', LoadedRow>;

/**
 * Named, not `invoices.*`: a prepared read must keep its result type when a later migration adds a
 * column (PostgreSQL refuses to run a cached plan whose result type changed).
 */
const INVOICE_COLUMNS = [
  'id', 'provider', 'coin', 'order_id', 'fiat_currency', 'fiat_minor', 'rate', 'amount_due', 'address', 'provider_reference',
  'expires_at', 'status', 'exception_status', 'policy', 'metadata', 'version', 'next_time_check_at', 'created_at', 'updated_at',
  'minimum_payment', 'redirect_url', 'idempotency_caller', 'idempotency_key', 'idempotency_fingerprint', 'merchant_id', 'provider_account_id',
] as const satisfies readonly (keyof InvoiceRow)[];

/** The invoice's payments in ledger order, as JSON: amounts as text (a JSON number would be a float). */
const LEDGER = sql<PaymentJson[]>`coalesce((
  select json_agg(json_build_object(
    'coin', p.coin, 'txid', p.txid, 'address', p.address, 'amount', p.amount::text, 'state', p.state,
    'confirmations', p.confirmations, 'rbf', p.rbf, 'test', p.test, 'received_at', p.received_at, 'updated_at', p.updated_at
  ) order by p.ordinal)
  from payments p where p.invoice_id = invoices.id
), '[]'::json)`.as('ledger');

/**
 * The version of the invoice as the statement's snapshot saw it. A `FOR UPDATE` read that waited for
 * another transaction's commit returns the invoice row as that commit left it, but its subqueries
 * (the ledger above) still see the snapshot from before the wait: the two versions then differ, and
 * the ledger is read again.
 */
const SNAPSHOT_VERSION = sql<number | null>`(select v.version from invoices v where v.id = invoices.id)`.as('snapshot_version');

/**
 * The invoice repository port (`@cryptopay/invoice`) over PostgreSQL or PGlite. An invoice and its payment ledger are
 * always written together in one transaction (the caller's, inside `store.transaction`), and read
 * together in one statement.
 */
export class PostgresInvoiceRepository implements InvoiceRepository {
  constructor(protected readonly db: Kysely<StoreDatabase>) {}

  async create(invoice: Invoice, creation: InvoiceCreationWrite = {}): Promise<void> {
    await this.insert(invoice, creation, null);
  }

  /**
   * Creates the invoice unless the caller's key already holds one: the key is written with the
   * invoice, in one statement, under a unique index, so two requests with one key create one invoice
   * whichever instance each reaches (the second waits for the first to commit). Returns null when
   * this invoice was created, else the one holding the key (nothing written).
   */
  async createOnce(invoice: Invoice, creation: InvoiceCreationWrite, key: InvoiceIdempotencyKey): Promise<KeyedInvoice | null> {
    if (await this.insert(invoice, creation, key)) return null;
    const holder = await this.findByIdempotencyKey(key.caller, key.key);
    if (!holder) throw new Error(`invoice idempotency key conflicted, but no invoice holds it`);
    return holder;
  }

  /** The invoice a caller created with this `Idempotency-Key`, with its request fingerprint. */
  async findByIdempotencyKey(caller: string, key: string): Promise<KeyedInvoice | null> {
    return guard(async () => {
      const rows = await this.select().where('idempotency_caller', '=', caller).where('idempotency_key', '=', key).execute();
      const [row] = rows;
      const [invoice] = await this.fromRows(rows);
      return row && invoice && row.idempotency_fingerprint !== null ? { invoice, fingerprint: row.idempotency_fingerprint } : null;
    });
  }

  /** Inserts the invoice and its ledger; false when its idempotency key is already taken (nothing written). */
  private async insert(invoice: Invoice, creation: InvoiceCreationWrite, key: InvoiceIdempotencyKey | null): Promise<boolean> {
    const row = {
      id: invoice.id,
      ...invoiceColumns(invoice),
      minimum_payment: creation.minimumPayment == null ? null : writeInteger(creation.minimumPayment),
      redirect_url: creation.redirectUrl ?? null,
      idempotency_caller: key?.caller ?? null,
      idempotency_key: key?.key ?? null,
      idempotency_fingerprint: key?.fingerprint ?? null,
      next_reconcile_at: creation.reconcileAt ?? null,
      merchant_id: creation.merchantId ?? DEFAULT_MERCHANT_ID,
      provider_account_id: creation.providerAccountId ?? null,
    };
    return guard(() =>
      inTransaction(this.db, async (trx) => {
        const inserted = await trx
          .insertInto('invoices')
          .values(row)
          .onConflict((conflict) => conflict.columns(['idempotency_caller', 'idempotency_key']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) return false;
        const payments = paymentRows(invoice);
        if (payments.length > 0) await refusingRepeatedPayments(invoice.id, () => trx.executeQuery(paymentsWrite(payments)));
        if (creation.events && creation.events.length > 0) await trx.executeQuery(outboxWrite(creation.events));
        return true;
      }).catch((error: unknown) => {
        throw creationConflict(invoice, error);
      }),
    );
  }

  async findById(id: string): Promise<StoredInvoice | null> {
    return guard(() => this.first(this.select().where('id', '=', id)));
  }

  async findByOrderId(orderId: string): Promise<StoredInvoice[]> {
    return guard(() => this.load(this.select().where('order_id', '=', orderId).orderBy('created_at').orderBy('id')));
  }

  /** The invoices with these ids (any order); ids of no invoice are left out. */
  async findManyById(ids: readonly string[]): Promise<StoredInvoice[]> {
    if (ids.length === 0) return [];
    return guard(() => this.load(this.select().where('id', 'in', [...ids]).orderBy('id')));
  }

  async findByAddress(provider: string, address: string, providerAccountId: string | null = null): Promise<StoredInvoice | null> {
    return guard(() => this.first(byAddress(this.select(), provider, address, providerAccountId)));
  }

  /**
   * Writes the invoice if the stored version is still `invoice.version - 1` (else
   * {@link InvoiceConcurrencyError}, and nothing is written), with its changed payments (upserted on
   * the ledger key) and, given one, the log entry of the callback that changed it — all in one
   * statement, atomic with or without a transaction around it. The ledger is append-only: a stored
   * payment is never deleted.
   */
  async update(invoice: Invoice, change: InvoiceWriteOptions = {}): Promise<void> {
    const expectedVersion = invoice.version - 1;
    const stored = change.previous?.version === expectedVersion ? change.previous : this.readAt(invoice.id, expectedVersion);
    const { rows } = await refusingRepeatedPayments(invoice.id, () => guard(() => this.db.executeQuery(invoiceWrite(this.db, invoice, stored, change.delivery, change.events))));
    if (rows[0]?.changed !== 1) throw new InvoiceConcurrencyError(invoice.id, expectedVersion);
    this.remember([invoice]);
  }

  async findDueForTimeCheck(now: Date, limit: number): Promise<StoredInvoice[]> {
    return guard(() => this.load(this.due(now, limit)));
  }

  protected select(): InvoiceQuery {
    return this.db.selectFrom('invoices').select(INVOICE_COLUMNS).select([LEDGER, SNAPSHOT_VERSION]);
  }

  protected due(now: Date, limit: number): InvoiceQuery {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('limit must be a positive whole number');
    return this.select().where('next_time_check_at', '<=', now).orderBy('next_time_check_at').orderBy('id').limit(limit);
  }

  protected async first(query: InvoiceQuery): Promise<StoredInvoice | null> {
    const [invoice] = await this.load(query);
    return invoice ?? null;
  }

  /** Runs an invoice query, which brings each invoice's ledger along; prepared, as every invoice read. */
  protected async load(query: InvoiceQuery): Promise<StoredInvoice[]> {
    const { rows } = await this.db.executeQuery(prepared(query.compile()));
    return this.fromRows(rows);
  }

  private async fromRows(rows: readonly LoadedRow[]): Promise<StoredInvoice[]> {
    const invoices: StoredInvoice[] = [];
    for (const row of rows) {
      const payments = row.snapshot_version === row.version ? row.ledger.map(jsonToPayment) : await this.ledgerNow(row.id);
      invoices.push(toInvoice(row, payments));
    }
    this.remember(invoices);
    return invoices;
  }

  /** The stored invoice as this repository last read or wrote it at `version`; none outside a transaction. */
  protected readAt(_id: string, _version: number): Invoice | undefined {
    return undefined;
  }

  protected remember(_invoices: readonly Invoice[]): void {}

  /** A statement of its own, so a snapshot taken now: it sees every commit up to the lock just taken. */
  private async ledgerNow(invoiceId: string): Promise<Invoice['payments']> {
    const rows = await this.db.selectFrom('payments').selectAll().where('invoice_id', '=', invoiceId).orderBy('ordinal').execute();
    return rows.map(toPayment);
  }
}

/**
 * The repository inside `store.transaction`: adds the reads that lock rows until the commit, and
 * remembers what this transaction read and wrote, so an update writes only the payments that changed.
 */
export class LockingInvoiceRepository extends PostgresInvoiceRepository {
  private readonly seen = new Map<string, Invoice>();

  constructor(trx: Transaction<StoreDatabase>) {
    super(trx);
  }

  /**
   * Reads the invoice and locks its row until the transaction ends (`SELECT … FOR UPDATE`): a
   * concurrent callback for the same invoice, on any instance, waits here and then reads the
   * committed result instead of overwriting it.
   */
  async findByIdForUpdate(id: string): Promise<StoredInvoice | null> {
    return guard(() => this.first(this.select().where('id', '=', id).forUpdate()));
  }

  /** {@link findByIdForUpdate} for a callback that names the payment address. */
  async findByAddressForUpdate(provider: string, address: string, providerAccountId: string | null = null): Promise<StoredInvoice | null> {
    return guard(() => this.first(byAddress(this.select(), provider, address, providerAccountId).forUpdate()));
  }

  /**
   * Claims up to `limit` invoices due for a time check and locks them until the transaction ends.
   * `SKIP LOCKED` passes over invoices another sweeper (or a callback) holds, so concurrent sweepers
   * never claim the same invoice and never wait on each other.
   */
  async claimDueForTimeCheck(now: Date, limit: number): Promise<StoredInvoice[]> {
    return guard(() => this.load(this.due(now, limit).forUpdate().skipLocked()));
  }

  /**
   * What this transaction read or wrote at that version. Payments only ever change together with
   * their invoice's version, so at the same version the stored ledger is exactly this one.
   */
  protected override readAt(id: string, version: number): Invoice | undefined {
    const invoice = this.seen.get(id);
    return invoice?.version === version ? invoice : undefined;
  }

  protected override remember(invoices: readonly Invoice[]): void {
    for (const invoice of invoices) this.seen.set(invoice.id, invoice);
  }
}

/** The unique index's own expression, so the lookup uses it: one address per provider account (null: the environment's). */
function byAddress(query: InvoiceQuery, provider: string, address: string, providerAccountId: string | null): InvoiceQuery {
  return query.where('provider', '=', provider).where(sql`coalesce(provider_account_id, '')`, '=', providerAccountId ?? '').where('address', '=', address);
}

function creationConflict(invoice: Invoice, error: unknown): unknown {
  const constraint = violatedUniqueConstraint(error);
  if (constraint === 'invoices_pkey') return new InvoiceAlreadyExistsError(invoice.id, 'id');
  if (constraint === 'invoices_account_address_key') return new InvoiceAlreadyExistsError(invoice.id, 'address');
  return error;
}

/**
 * The invoice package never lists one transaction output twice, so the ledger key refusing a write
 * is a bug upstream: reported as DuplicatePaymentError, with nothing of the write stored.
 */
async function refusingRepeatedPayments<T>(invoiceId: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isRepeatedConflictKey(error)) throw new DuplicatePaymentError(invoiceId, { cause: error });
    throw error;
  }
}
