import { PostgresAdapter } from 'kysely';

/**
 * Kysely's PostgreSQL migrator takes a session-level advisory lock and releases it in a `finally`.
 * Inside our migration transaction a failed migration aborts the transaction, so that release
 * fails too: its error hides the migration's own, and the lock stays on the server session, which a
 * pooler (PgBouncer) keeps open and hands to the next client, so every later start-up waits on it.
 * `migrate()` holds `pg_advisory_xact_lock` instead, which the rollback always releases.
 */
export class MigrationLockedByTransaction extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}

  override async releaseMigrationLock(): Promise<void> {}
}
