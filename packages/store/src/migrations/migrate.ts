import { type Kysely, sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import { type StoreDatabase } from '../database/schema.js';
import * as initial from './0001-initial.js';
import * as minimumPayment from './0002-minimum-payment.js';
import * as invoiceIdempotencyKey from './0003-invoice-idempotency-key.js';
import * as webhooks from './0008-webhooks.js';

/** Every migration, in order. Released migrations never change; new ones are appended. */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-minimum-payment': minimumPayment,
  '0003-invoice-idempotency-key': invoiceIdempotencyKey,
  '0008-webhooks': webhooks,
};

export interface MigrationReport {
  /** Names of the migrations this call applied; empty when the schema was already current. */
  readonly applied: readonly string[];
}

/**
 * Brings the schema up to date in ONE transaction. Instances starting together queue on an
 * advisory lock held until that transaction ends, so the first migrates and the rest find nothing
 * to do; a failed migration leaves no trace and unlocks.
 */
export async function migrate(db: Kysely<StoreDatabase>, schema: string, timeoutMs: number): Promise<MigrationReport> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('statement_timeout', ${String(timeoutMs)}, true)`.execute(trx);
    await sql`select pg_advisory_xact_lock(hashtext('cryptopay:store:migrate'))`.execute(trx);
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
