import { sql, type Transaction } from 'kysely';
import { type Database, type PoolUsage, type StoreKind } from './database/database.js';
import { classifyFailure, guard } from './database/failures.js';
import { openPostgres } from './database/postgres.js';
import { type StoreDatabase } from './database/schema.js';
import { DeliveryLog } from './deliveries/delivery-log.js';
import { LockingInvoiceRepository, PostgresInvoiceRepository } from './invoices/invoice-repository.js';
import { prepared } from './database/prepared-statements.js';
import { sessionMismatches, sessionSettings } from './database/session-settings.js';
import { StoreSessionError } from './errors.js';
import { migrate, type MigrationObserver, type MigrationReport, pendingMigrations } from './migrations/migrate.js';
import { ReconciliationQueue } from './reconciliation/reconciliation-queue.js';
import { MerchantDirectory } from './merchants/merchant-directory.js';
import { WebhookStore } from './webhooks/webhook-store.js';
import { type ResolvedStoreOptions, resolveStoreOptions, type StoreOptions } from './options.js';

/** What one database transaction can do; everything in it commits together or not at all. */
export interface StoreTransaction {
  readonly invoices: LockingInvoiceRepository;
  readonly deliveries: DeliveryLog;
}

/**
 * The durable store: PostgreSQL when a URL is given, embedded PGlite otherwise. It implements the
 * invoice repository port of `@cryptopay/invoice` and the payments store port of `@cryptopay/nest`
 * (`PaymentsStore`: invoices, the callback log, transactions with row locks for the expiry sweep,
 * ping and close), both checked where they are composed.
 */
export class Store {
  /** Each call in its own transaction; use {@link transaction} to combine several. */
  readonly invoices: PostgresInvoiceRepository;
  readonly deliveries: DeliveryLog;
  /** When each invoice is next reconciled with its provider; the reconciler claims from it. */
  readonly reconciliations: ReconciliationQueue;
  /** Merchants, their API keys and provider accounts (hashes and ciphertexts only). */
  readonly merchants: MerchantDirectory;
  /** Outbound webhooks: endpoints, the outbox's deliveries, claims and attempts. */
  readonly webhooks: WebhookStore;

  constructor(
    private readonly database: Database,
    private readonly settings: ResolvedStoreOptions,
  ) {
    this.invoices = new PostgresInvoiceRepository(database.db);
    this.deliveries = new DeliveryLog(database.db);
    this.reconciliations = new ReconciliationQueue(database.db, this.invoices);
    this.merchants = new MerchantDirectory(database.db);
    this.webhooks = new WebhookStore(database.db);
  }

  get kind(): StoreKind {
    return this.database.kind;
  }

  /**
   * Runs `work` in one database transaction: committed when it resolves, rolled back when it
   * throws (its error is rethrown). Inside, use only `tx`: on PGlite the store's single connection
   * is busy with this transaction, so a call on the store itself would wait for it and time out.
   */
  async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    let workError: { readonly error: unknown } | undefined;
    try {
      return await this.database.db.transaction().execute(async (trx: Transaction<StoreDatabase>) => {
        try {
          return await work({ invoices: new LockingInvoiceRepository(trx), deliveries: new DeliveryLog(trx) });
        } catch (error) {
          workError = { error };
          throw error;
        }
      });
    } catch (error) {
      // The work's own error passes unchanged (its store calls already classified theirs); only
      // BEGIN, COMMIT and ROLLBACK failures are classified here.
      if (workError && error === workError.error) throw error;
      throw classifyFailure(error);
    }
  }

  /** Applies pending migrations; safe to call from every instance at start-up. */
  async migrateToLatest(observer: MigrationObserver = {}): Promise<MigrationReport> {
    return guard(() => this.database.forMigration((db) => migrate(db, this.settings.schema, this.settings.migrationTimeoutMs, observer)));
  }

  /** The PostgreSQL pool's connections and queued queries now (null on PGlite): sizing DATABASE_POOL_SIZE. */
  poolUsage(): PoolUsage | null {
    return this.database.poolUsage();
  }

  /** The migrations the schema lacks (none when current): an instance that does not migrate checks this at start-up. */
  async pendingMigrations(): Promise<string[]> {
    return guard(() => pendingMigrations(this.database.db, this.settings.schema));
  }

  /**
   * Reads the session settings back through the pool (PostgreSQL): the timeouts that bound every
   * wait, and the schema. A pooler that dropped them (PgBouncer's `ignore_startup_parameters`, or
   * `pooler: 'transaction'` without role defaults) fails here with {@link StoreSessionError} naming
   * each, instead of letting a callback's write outlive its answer.
   */
  async verifySession(): Promise<void> {
    if (this.database.kind !== 'postgres') return;
    const mismatches = await guard(() => sessionMismatches(this.database.db, sessionSettings(this.settings)));
    if (mismatches.length > 0) throw new StoreSessionError(mismatches, this.settings.pooler);
  }

  /**
   * Readiness: resolves when the database answers a query on the store's tables, run as the store
   * runs its reads (prepared, when prepared statements are on), else throws. A pooler that loses
   * prepared statements or a schema that is not found fails it as it fails the requests.
   */
  async ping(): Promise<void> {
    await guard(() => this.database.db.executeQuery(prepared(sql`select 1 from invoices limit 1`.compile(this.database.db))));
  }

  /** Graceful shutdown, once requests have stopped: ends the pool (PostgreSQL) or closes PGlite; later calls fail as `closed`. */
  async close(): Promise<void> {
    await this.database.db.destroy();
  }
}

/** Opens the store; it connects lazily (PostgreSQL) or starts PGlite. Call `migrateToLatest()` next. */
export async function createStore(options: StoreOptions = {}): Promise<Store> {
  const settings = resolveStoreOptions(options);
  const database = settings.databaseUrl ? openPostgres(settings) : await openEmbedded(settings);
  return new Store(database, settings);
}

/** Imported only when needed: a store on a PostgreSQL server never loads PGlite. */
async function openEmbedded(settings: ResolvedStoreOptions): Promise<Database> {
  const { openPGlite } = await import('./database/pglite.js');
  return openPGlite(settings);
}
