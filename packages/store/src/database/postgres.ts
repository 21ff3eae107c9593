import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type ResolvedStoreOptions } from '../options.js';
import { type Database } from './database.js';
import { preparingClient } from './prepared-statements.js';
import { type StoreDatabase } from './schema.js';

/**
 * How often a server session polls its client's socket while it runs a statement (PostgreSQL 14+).
 * A write is one statement, committed on its own: when the instance that sent it dies while it
 * waits on a row lock, the server must abandon it rather than commit a change no one will answer
 * for or publish.
 */
const CLIENT_CHECK_MS = 1_000;

/**
 * A pool whose every wait is bounded: connecting (`connectionTimeoutMillis`), a statement on the
 * server (`statement_timeout`, lock waits included), and the reply on the client (`query_timeout`,
 * for a server that stopped answering without closing the socket).
 */
function createPool(settings: ResolvedStoreOptions, statementTimeoutMs: number, max: number): pg.Pool {
  const pool = new pg.Pool({
    ...(settings.preparedStatements ? { Client: preparingClient() } : {}),
    connectionString: settings.databaseUrl ?? undefined,
    max,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + settings.connectTimeoutMs,
    idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
    keepAlive: true,
    application_name: settings.applicationName,
    options: `-c search_path=${settings.schema} -c client_connection_check_interval=${CLIENT_CHECK_MS}`,
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

export function openPostgres(settings: ResolvedStoreOptions): Database {
  return {
    kind: 'postgres',
    db: kysely(createPool(settings, settings.statementTimeoutMs, settings.poolSize)),
    async forMigration(work) {
      const db = kysely(createPool(settings, settings.migrationTimeoutMs, 1));
      try {
        return await work(db);
      } finally {
        await db.destroy();
      }
    },
  };
}
