import { type DatabaseIntrospector, Kysely, type PostgresAdapter, PostgresDialect, type PostgresDialectConfig } from 'kysely';
import pg from 'pg';
import { type ResolvedStoreOptions } from '../options.js';
import { type Database } from './database.js';
import { MigrationLockedByTransaction } from './migration-adapter.js';
import { preparingClient } from './prepared-statements.js';
import { SchemaIntrospector } from './schema-introspector.js';
import { type StoreDatabase } from './schema.js';
import { startupParameters } from './session-settings.js';

/**
 * A pool whose every wait is bounded: connecting (`connectionTimeoutMillis`), a statement on the
 * server (`statement_timeout`, lock waits included), and the reply on the client (`query_timeout`,
 * for a server that stopped answering without closing the socket). Behind a transaction-mode pooler
 * the server-side settings are the role's defaults instead: the pooler refuses start-up parameters.
 */
function createPool(settings: ResolvedStoreOptions, statementTimeoutMs: number, max: number): pg.Pool {
  const pool = new pg.Pool({
    ...(settings.preparedStatements ? { Client: preparingClient() } : {}),
    connectionString: settings.databaseUrl ?? undefined,
    max,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    query_timeout: statementTimeoutMs + settings.connectTimeoutMs,
    keepAlive: true,
    application_name: settings.applicationName,
    ...(settings.pooler === 'none' ? startupParameters(settings, statementTimeoutMs) : {}),
  });
  // A server that ends a session emits 'error' on its client even between queries (inside a
  // transaction too); unheard, that would crash the process. The next query on it fails and is
  // mapped to StoreUnavailableError; the pool discards the client.
  pool.on('connect', (client) => client.on('error', settings.onBackgroundError));
  // The pool re-emits an idle client's error, already reported by the listener above.
  pool.on('error', () => undefined);
  return pool;
}

function kysely(pool: pg.Pool): Kysely<StoreDatabase> {
  return new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
}

/** Kysely's migrator on this handle takes no session lock of its own: `migrate()` holds a transaction-level one. */
class MigrationDialect extends PostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly schema: string,
  ) {
    super(config);
  }

  override createAdapter(): PostgresAdapter {
    return new MigrationLockedByTransaction();
  }

  /** The migrator looks only in the store's schema (see {@link SchemaIntrospector}). */
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SchemaIntrospector(db, this.schema);
  }
}

export function openPostgres(settings: ResolvedStoreOptions): Database {
  const pool = createPool(settings, settings.statementTimeoutMs, settings.poolSize);
  return {
    kind: 'postgres',
    db: kysely(pool),
    poolUsage: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async forMigration(work) {
      const db = new Kysely<StoreDatabase>({ dialect: new MigrationDialect({ pool: createPool(settings, settings.migrationTimeoutMs, 1) }, settings.schema) });
      try {
        return await work(db);
      } finally {
        await db.destroy();
      }
    },
  };
}
