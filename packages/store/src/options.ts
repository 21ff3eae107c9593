import { type OptionProblem, validateOptions } from '@cryptopay/provider-kit/options';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';
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
  /**
   * What sits between the store and PostgreSQL. `none` (default): the session settings (timeouts,
   * search path) are sent as start-up parameters. `transaction`: a pooler in transaction mode
   * (PgBouncer), which refuses or drops those; they must then be the role's defaults on the server
   * (`ALTER ROLE … SET`), and {@link Store.verifySession} checks that they hold.
   */
  readonly pooler?: 'none' | 'transaction';
  /** Errors of idle pooled connections (a server restart); the pool replaces them. Default: ignored. */
  readonly onBackgroundError?: (error: Error) => void;
}

/** The options as the store uses them: validated, every default filled in. */
export interface ResolvedStoreOptions {
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
  readonly pooler: 'none' | 'transaction';
  readonly onBackgroundError: (error: Error) => void;
}

/** PostgreSQL's time settings are 32-bit milliseconds. */
const MAX_MILLISECONDS = 2_147_483_647;

const whole = (option: string, max: number) => {
  const message = `${option} must be a whole number from 1 to ${max}`;
  return [IsInt({ message }), Min(1, { message }), Max(max, { message })];
};

/** Also when blank: `resolveStoreOptions` treats a blank URL as none. */
function isPostgresUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.trim() === '') return true;
  return URL.canParse(value) && ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
}

function applyAll(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

/** The validation schema; messages name the option and never repeat its value (a URL holds a password). */
class StoreOptionsSchema implements StoreOptions {
  @IsOptional()
  @ValidateBy(
    { name: 'isPostgresUrl', validator: { validate: isPostgresUrl } },
    { message: 'databaseUrl must be a postgres:// or postgresql:// URL, like postgresql://user@host:5432/database' },
  )
  databaseUrl?: string;

  @IsOptional()
  @IsString({ message: 'dataDir must be a directory path' })
  dataDir?: string;

  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'schema must be a lower-case identifier of letters, digits and _ (at most 63)' })
  schema?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,63}$/, { message: 'applicationName must be 1 to 63 letters, digits or _ . : -' })
  applicationName?: string;

  @IsOptional()
  @applyAll(whole('poolSize', 1000))
  poolSize?: number;

  @IsOptional()
  @applyAll(whole('connectTimeoutMs', MAX_MILLISECONDS))
  connectTimeoutMs?: number;

  @IsOptional()
  @applyAll(whole('statementTimeoutMs', MAX_MILLISECONDS))
  statementTimeoutMs?: number;

  @IsOptional()
  @applyAll(whole('idleInTransactionTimeoutMs', MAX_MILLISECONDS))
  idleInTransactionTimeoutMs?: number;

  @IsOptional()
  @applyAll(whole('migrationTimeoutMs', MAX_MILLISECONDS))
  migrationTimeoutMs?: number;

  @IsOptional()
  @IsBoolean({ message: 'preparedStatements must be true or false' })
  preparedStatements?: boolean;

  @IsOptional()
  @IsIn(['none', 'transaction'], { message: 'pooler must be none or transaction' })
  pooler?: 'none' | 'transaction';

  @IsOptional()
  @ValidateBy({ name: 'isFunction', validator: { validate: (value: unknown) => typeof value === 'function' } }, { message: 'onBackgroundError must be a function' })
  onBackgroundError?: (error: Error) => void;
}

/** Validates the options (a {@link StoreConfigError} names each problem) and fills in the defaults. */
export function resolveStoreOptions(options: StoreOptions = {}): ResolvedStoreOptions {
  const valid = validateOptions(options, {
    subject: 'store',
    schema: StoreOptionsSchema,
    error: (problems: readonly OptionProblem[]) => new StoreConfigError(problems),
    required: [],
  });
  return {
    databaseUrl: valid.databaseUrl?.trim() ? valid.databaseUrl : null,
    dataDir: valid.dataDir?.trim() ? valid.dataDir : null,
    schema: valid.schema ?? 'public',
    applicationName: valid.applicationName ?? 'cryptopay',
    poolSize: valid.poolSize ?? 10,
    connectTimeoutMs: valid.connectTimeoutMs ?? 5_000,
    statementTimeoutMs: valid.statementTimeoutMs ?? 15_000,
    idleInTransactionTimeoutMs: valid.idleInTransactionTimeoutMs ?? 60_000,
    migrationTimeoutMs: valid.migrationTimeoutMs ?? 300_000,
    preparedStatements: valid.preparedStatements ?? true,
    pooler: valid.pooler ?? 'none',
    onBackgroundError: valid.onBackgroundError ?? (() => undefined),
  };
}
