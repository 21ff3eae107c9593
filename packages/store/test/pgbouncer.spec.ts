import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { eventually, PgBouncerProcess } from '@cryptopay/test-servers';
import { createStore, type Store, type StoreOptions, StoreSessionError, StoreUnavailableError } from '../src/index.js';
import { admin, DATABASE_URL, rawDatabase } from './support/backends.js';

/**
 * The store through a real PgBouncer in transaction mode (Debian's `pgbouncer`), in front of a
 * database of this suite's own, whose role defaults each case sets as an operator would.
 */
const DATABASE = `cp_bouncer_${process.pid}_${randomBytes(3).toString('hex')}`;
const STATEMENT_TIMEOUT_MS = 1_000;
const IDLE_IN_TRANSACTION_MS = 60_000;
const MIGRATION_LOCK = `hashtext('cryptopay:store:migrate')`;

const stores: Store[] = [];
const bouncers: PgBouncerProcess[] = [];

async function bouncer(ignoreStartupParameters: readonly string[] = [], poolSize?: number): Promise<PgBouncerProcess> {
  const started = await PgBouncerProcess.start({ serverUrl: DATABASE_URL, ignoreStartupParameters, ...(poolSize ? { poolSize } : {}) });
  bouncers.push(started);
  return started;
}

async function storeThrough(pooler: PgBouncerProcess, options: StoreOptions): Promise<Store> {
  const store = await createStore({ databaseUrl: pooler.url(DATABASE), statementTimeoutMs: STATEMENT_TIMEOUT_MS, migrationTimeoutMs: 20_000, ...options });
  stores.push(store);
  return store;
}

/** What an operator runs once per database behind the pooler (docs/operations.md, PgBouncer). */
async function setRoleDefaults(schema: string): Promise<void> {
  for (const [name, value] of [
    ['statement_timeout', STATEMENT_TIMEOUT_MS],
    ['idle_in_transaction_session_timeout', IDLE_IN_TRANSACTION_MS],
    ['client_connection_check_interval', 1_000],
    ['search_path', schema],
  ] as const) {
    await admin(`alter role postgres in database ${DATABASE} set ${name} = '${value}'`);
  }
}

/** Runs one statement in this suite's database directly, not through the pooler. */
async function direct<R extends Record<string, unknown>>(text: string): Promise<R[]> {
  const url = new URL(DATABASE_URL);
  url.pathname = `/${DATABASE}`;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

async function failureOf(operation: Promise<unknown>): Promise<Error> {
  const error = await operation.then(
    () => null,
    (failure: unknown) => failure,
  );
  if (!(error instanceof Error)) throw new Error('the operation succeeded');
  return error;
}

function uniqueSchema(): string {
  return `cp_${randomBytes(4).toString('hex')}`;
}

beforeAll(() => admin(`create database ${DATABASE}`));
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await Promise.all(bouncers.splice(0).map((each) => each.stop()));
  await admin(`alter role postgres in database ${DATABASE} reset all`);
});
afterAll(() => admin(`drop database if exists ${DATABASE} with (force)`));

describe('the store through PgBouncer in transaction mode', () => {
  it('without DATABASE_POOLER, fails with PgBouncer’s own reason when it refuses the start-up parameters', async () => {
    const store = await storeThrough(await bouncer(), { preparedStatements: false });

    const error = await failureOf(store.verifySession());

    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(String((error.cause as Error | undefined)?.message)).toMatch(/unsupported startup parameter/);
  });

  it('refuses to run when the pooler silently dropped the start-up parameters (ignore_startup_parameters)', async () => {
    const pooler = await bouncer(['statement_timeout', 'idle_in_transaction_session_timeout', 'options']);
    const store = await storeThrough(pooler, { preparedStatements: false, schema: uniqueSchema() });

    const error = await failureOf(store.verifySession());

    expect(error).toBeInstanceOf(StoreSessionError);
    expect((error as StoreSessionError).mismatches.map(({ name }) => name).sort()).toEqual(
      ['client_connection_check_interval', 'idle_in_transaction_session_timeout', 'search_path', 'statement_timeout'],
    );
    expect(error.message).toContain('DATABASE_POOLER=transaction');
  });

  it('with pooler "transaction" and no role defaults, refuses to run and tells the ALTER ROLE that fixes it', async () => {
    const schema = uniqueSchema();
    const store = await storeThrough(await bouncer(), { preparedStatements: false, pooler: 'transaction', schema });

    const error = await failureOf(store.verifySession());

    expect(error).toBeInstanceOf(StoreSessionError);
    expect(error.message).toContain(`ALTER ROLE <role> IN DATABASE <database> SET statement_timeout = '${STATEMENT_TIMEOUT_MS}'`);
    expect(error.message).toContain(`search_path = '${schema}'`);
  });

  it('with the role defaults set, holds the timeouts and the schema on every pooled session', async () => {
    const schema = uniqueSchema();
    await setRoleDefaults(schema);
    const store = await storeThrough(await bouncer(), { preparedStatements: false, pooler: 'transaction', schema });

    await store.verifySession();
    await store.migrateToLatest();

    const tables = await direct<{ table_schema: string }>(`select distinct table_schema from information_schema.tables where table_name = 'invoices'`);
    expect(tables).toEqual([{ table_schema: schema }]);
    // A statement outliving the store's timeout is cancelled by the server, not left to commit later.
    const slow = await failureOf(sql`select pg_sleep(${(STATEMENT_TIMEOUT_MS * 30) / 1000})`.execute(rawDatabase(store)));
    expect(slow).toMatchObject({ code: '57014' }); // query_canceled: statement_timeout
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('a failed migration reports its own error and leaves no lock on the pooled sessions', async () => {
    const schema = uniqueSchema();
    await setRoleDefaults(schema);
    await direct(`create schema ${schema}; create table ${schema}.invoices (squatter int)`);
    const store = await storeThrough(await bouncer(), { preparedStatements: false, pooler: 'transaction', schema });

    const first = await failureOf(store.migrateToLatest());
    const again = await failureOf(store.migrateToLatest());

    expect(first.message).toMatch(/relation "invoices" already exists/);
    expect(again.message).toBe(first.message);
    expect(await direct(`select objid from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`)).toEqual([]);
  });

  it('a migration waiting for another session’s migration lock says so, then runs once it is released', async () => {
    const schema = uniqueSchema();
    await setRoleDefaults(schema);
    const store = await storeThrough(await bouncer(), { preparedStatements: false, pooler: 'transaction', schema });
    const { default: pg } = await import('pg');
    const url = new URL(DATABASE_URL);
    url.pathname = `/${DATABASE}`;
    const holder = new pg.Client({ connectionString: url.toString() });
    await holder.connect();
    let waits = 0;
    try {
      await holder.query(`begin; select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      const run = store.migrateToLatest({ onLockWait: () => (waits += 1) });

      await eventually(() => waits === 1, 'the migration to report that it waits for the lock');
      await holder.query('commit');

      expect((await run).applied).toContain('0001-initial');
    } finally {
      await holder.end();
    }
  });

  it('readiness fails, as the reads do, when the pooler loses prepared statements', async () => {
    const schema = uniqueSchema();
    await setRoleDefaults(schema);
    const pooler = await bouncer([], 1);
    const preparing = await storeThrough(pooler, { pooler: 'transaction', schema });
    await preparing.migrateToLatest();

    const pings = await Promise.allSettled([preparing.ping(), preparing.ping(), preparing.ping()]);

    expect(pings.filter(({ status }) => status === 'rejected')).not.toEqual([]);
    const plain = await storeThrough(pooler, { pooler: 'transaction', schema, preparedStatements: false });
    await Promise.all([plain.ping(), plain.ping(), plain.ping()]);
  });
});
