import 'reflect-metadata';
import { createStore } from '@cryptopay/store';
import { ConfigError, loadGatewayConfig } from '../config/load-config.js';
import { resolveSettings } from '../config/runtime.js';
import { startFailure } from '../deploy/start-failure.js';
import { createLogger, flushLogger } from '../logging/pino-logger.js';

/**
 * `cryptopay migrate`: brings the database schema up to date with the gateway's settings
 * (DATABASE_URL, DATABASE_SCHEMA, DATABASE_POOLER), as a step of its own before a rollout, so the
 * instances can run with MIGRATE_ON_START=false under a role without DDL rights. Exit 0 when the
 * schema is current, 1 when a migration failed (its own error printed), 2 on a wrong setting.
 */
async function migrate(): Promise<void> {
  let config;
  try {
    config = loadGatewayConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`cryptopay migrate: ${error.message}\nSee docs/configuration.md.\n`);
    process.exit(2);
  }
  const logger = createLogger(config.LOG_LEVEL);
  const store = await createStore(resolveSettings(config, config.PORT).modules.store);
  try {
    await store.verifySession();
    const { applied } = await store.migrateToLatest({
      onLockWait: () => logger.warn('waiting for the migration lock: another instance or `cryptopay migrate` is migrating this database'),
    });
    logger.info({ applied }, applied.length > 0 ? 'database migrated' : 'database schema already current');
  } finally {
    await store.close();
    await flushLogger(logger);
  }
}

migrate().catch((error: unknown) => {
  process.stderr.write(`cryptopay migrate failed: ${startFailure(error)}\n`);
  process.exit(1);
});
