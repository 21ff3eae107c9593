import { StoreConfigError } from './errors.js';

export interface StoreOptions {
  /** A `postgres://` URL: the store uses a node-postgres pool. Blank counts as not given. */
  readonly databaseUrl?: string;
  /** Without a `databaseUrl`: where embedded PGlite keeps its files. Neither: PGlite in memory, lost on exit. */
  readonly dataDir?: string;
  /** The PostgreSQL schema holding the tables; created by `migrateToLatest()`. Default `public`. */
  readonly schema?: string;
  /** How this instance shows in `pg_stat_activity` (PostgreSQL). Default `cryptopay`. */
  readonly applicationName?: string;
  /** Most pooled connections (PostgreSQL). Default 10. */
  readonly poolSize?: number;
  /** Longest wait to open a connection, or for PGlite's single connection. Default 5 s. */
  readonly connectTimeoutMs?: number;
  /** Longest a statement may run, lock waits included (PostgreSQL). Default 15 s. */
  readonly statementTimeoutMs?: number;
  /** A session idle inside a transaction longer than this is ended, releasing its row locks. Default 60 s. */
  readonly idleInTransactionTimeoutMs?: number;
  /** Longest a migration run may take, waiting for another instance's run included. Default 5 min. */
  readonly migrationTimeoutMs?: number;
  /**
   * Prepare the statements run on every callback and read, once per connection (PostgreSQL). Default
   * true; turn off behind a pooler that cannot keep prepared statements (PgBouncer in transaction
   * mode before 1.21, or without `max_prepared_statements`).
   */
  readonly preparedStatements?: boolean;
  /** Errors of idle pooled connections (a server restart); the pool replaces them. Default: ignored. */
  readonly onBackgroundError?: (error: Error) => void;
}

export interface StoreSettings {
  readonly databaseUrl: string | null;
  readonly dataDir: string | null;
  readonly schema: string;
  readonly applicationName: string;
  readonly poolSize: number;
  readonly connectTimeoutMs: number;
  readonly statementTimeoutMs: number;
  readonly idleInTransactionTimeoutMs: number;
  readonly migrationTimeoutMs: number;
  readonly preparedStatements: boolean;
  readonly onBackgroundError: (error: Error) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const APPLICATION_NAME = /^[A-Za-z0-9_.:-]{1,63}$/;
/** PostgreSQL's time settings are 32-bit milliseconds. */
const MAX_MILLISECONDS = 2_147_483_647;

/** Validates the options; messages name the option and never repeat its value (a URL holds a password). */
export function resolveStoreOptions(options: StoreOptions): StoreSettings {
  return {
    databaseUrl: databaseUrl(options.databaseUrl),
    dataDir: options.dataDir?.trim() ? options.dataDir : null,
    schema: schemaName(options.schema ?? 'public'),
    applicationName: applicationName(options.applicationName ?? 'cryptopay'),
    poolSize: whole('poolSize', options.poolSize ?? 10, 1000),
    connectTimeoutMs: whole('connectTimeoutMs', options.connectTimeoutMs ?? 5_000, MAX_MILLISECONDS),
    statementTimeoutMs: whole('statementTimeoutMs', options.statementTimeoutMs ?? 15_000, MAX_MILLISECONDS),
    idleInTransactionTimeoutMs: whole('idleInTransactionTimeoutMs', options.idleInTransactionTimeoutMs ?? 60_000, MAX_MILLISECONDS),
    migrationTimeoutMs: whole('migrationTimeoutMs', options.migrationTimeoutMs ?? 300_000, MAX_MILLISECONDS),
    preparedStatements: flag('preparedStatements', options.preparedStatements ?? true),
    onBackgroundError: options.onBackgroundError ?? (() => undefined),
  };
}

function databaseUrl(value: string | undefined): string | null {
  if (value === undefined || value.trim() === '') return null;
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new StoreConfigError('databaseUrl', 'databaseUrl is not a valid URL; expected postgresql://user@host:5432/database');
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new StoreConfigError('databaseUrl', 'databaseUrl must start with postgres:// or postgresql://');
  }
  return value;
}

function schemaName(value: string): string {
  if (!SCHEMA_NAME.test(value)) {
    throw new StoreConfigError('schema', 'schema must be a lower-case identifier of letters, digits and _ (at most 63)');
  }
  return value;
}

function applicationName(value: string): string {
  if (!APPLICATION_NAME.test(value)) {
    throw new StoreConfigError('applicationName', 'applicationName must be 1 to 63 letters, digits or _ . : -');
  }
  return value;
}

function flag(option: string, value: boolean): boolean {
  if (typeof value !== 'boolean') throw new StoreConfigError(option, `${option} must be true or false`);
  return value;
}

function whole(option: string, value: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new StoreConfigError(option, `${option} must be a whole number from 1 to ${max}`);
  }
  return value;
}
