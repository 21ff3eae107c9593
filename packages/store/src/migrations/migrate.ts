import { type Kysely, sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import { type StoreDatabase } from '../database/schema.js';
import * as initial from './0001-initial.js';
import * as minimumPayment from './0002-minimum-payment.js';
import * as invoiceIdempotencyKey from './0003-invoice-idempotency-key.js';
import * as reconciliation from './0006-reconciliation.js';
import * as merchants from './0007-merchants.js';
import * as webhooks from './0008-webhooks.js';
import * as checkoutRedirectUrl from './0009-checkout-redirect-url.js';

/** Every migration, in order. Released migrations never change; new ones are appended. */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-minimum-payment': minimumPayment,
  '0003-invoice-idempotency-key': invoiceIdempotencyKey,
  '0006-reconciliation': reconciliation,
  '0007-merchants': merchants,
  '0008-webhooks': webhooks,
  '0009-checkout-redirect-url': checkoutRedirectUrl,
};

/** What a migration run tells while it runs. */
export interface MigrationObserver {
  /** Another session (an instance, `cryptopay migrate`) holds the migration lock; this run waits for it. */
  readonly onLockWait?: () => void;
}

const LOCK = sql`hashtext('cryptopay:store:migrate')`;

/** The migrations the schema lacks, in order; reads only (no lock), for instances that do not migrate. */
export async function pendingMigrations(db: Kysely<StoreDatabase>, schema: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) }, migrationTableSchema: schema });
  return (await migrator.getMigrations()).filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}

export interface MigrationReport {
  /** Names of the migrations this call applied; empty when the schema was already current. */
  readonly applied: readonly string[];
}

/**
 * Brings the schema up to date in ONE transaction. Instances starting together queue on an
 * advisory lock held until that transaction ends, so the first migrates and the rest find nothing
 * to do; a failed migration leaves no trace and unlocks (a transaction-level lock: no session keeps
 * it, not even one a pooler reuses). A run that has to wait says so first.
 */
export async function migrate(db: Kysely<StoreDatabase>, schema: string, timeoutMs: number, observer: MigrationObserver = {}): Promise<MigrationReport> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('statement_timeout', ${String(timeoutMs)}, true)`.execute(trx);
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${LOCK}) as locked`.execute(trx);
    if (!rows[0]?.locked) {
      observer.onLockWait?.();
      await sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx);
    }
    const migrator = new Migrator({
      db: trx,
      provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
      migrationTableSchema: schema,
    });
    const { error, results = [] } = await migrator.migrateToLatest();
    if (error) throw error;
    return { applied: results.filter((result) => result.status === 'Success').map((result) => result.migrationName) };
  });
}
