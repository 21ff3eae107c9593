import { type Store } from '@cryptopay/store';
import { type Logger } from 'pino';

/**
 * Brings the schema up to date at start-up (MIGRATE_ON_START=true), or, when a separate
 * `cryptopay migrate` step owns that (a role without DDL rights), checks that it ran.
 */
export async function prepareSchema(store: Store, migrateOnStart: boolean, logger: Logger): Promise<void> {
  await store.verifySession();
  if (!migrateOnStart) {
    const pending = await store.pendingMigrations();
    if (pending.length > 0) throw new Error(`the database schema lacks migrations ${pending.join(', ')}: run \`cryptopay migrate\` first (MIGRATE_ON_START=false)`);
    return;
  }
  const { applied } = await store.migrateToLatest({
    onLockWait: () => logger.warn('waiting for the migration lock: another instance or `cryptopay migrate` is migrating this database'),
  });
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
}
