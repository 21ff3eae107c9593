import { randomBytes } from 'node:crypto';
import { type Kysely } from 'kysely';
import pg from 'pg';
import { testDatabaseUrl } from '@cryptopay/test-servers';
import { type StoreDatabase } from '../../src/database/schema.js';
import { createStore, type Store, type StoreOptions } from '../../src/index.js';

export const DATABASE_URL = testDatabaseUrl();

/** One test suite's database: a fresh schema on the shared PostgreSQL server, or a fresh PGlite. */
export interface Backend {
  readonly name: 'postgres' | 'pglite';
  /** Names this suite's sessions in `pg_stat_activity`, so a test can watch or end only its own. */
  readonly applicationName: string;
  /**
   * A store on this suite's database. On PostgreSQL each call is one more app instance; PGlite
   * belongs to one process, so there every call returns the same store.
   */
  open(options?: StoreOptions): Promise<Store>;
  /** Closes every store opened and drops the schema. */
  dispose(): Promise<void>;
}

export type BackendFactory = () => Backend;

/** A schema or application name no other suite or run uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Runs one statement on the shared server outside any store: what an operator's psql would do. */
export async function admin<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export const postgresBackend: BackendFactory = () => {
  const schema = uniqueName('cp_test');
  const applicationName = uniqueName('cryptopay_test');
  const stores: Store[] = [];
  return {
    name: 'postgres',
    applicationName,
    async open(options = {}) {
      const store = await createStore({ databaseUrl: DATABASE_URL, schema, applicationName, ...options });
      stores.push(store);
      return store;
    },
    async dispose() {
      await Promise.all(stores.map((store) => store.close()));
      await admin(`drop schema if exists ${schema} cascade`);
    },
  };
};

export const pgliteBackend: BackendFactory = () => {
  let store: Promise<Store> | undefined;
  return {
    name: 'pglite',
    applicationName: 'pglite',
    open(options = {}) {
      store ??= createStore(options);
      return store;
    },
    async dispose() {
      await (await store)?.close();
    },
  };
};

export const BACKENDS: ReadonlyArray<readonly [string, BackendFactory]> = [
  ['postgres', postgresBackend],
  ['pglite', pgliteBackend],
];

/** A suite's migrated store, opened before its tests and disposed of after them. */
export function useMigratedStore(factory: BackendFactory): { backend: Backend; store: () => Store } {
  const backend = factory();
  let opened: Store | undefined;
  beforeAll(async () => {
    opened = await backend.open();
    await opened.migrateToLatest();
  });
  afterAll(() => backend.dispose());
  return {
    backend,
    store: () => {
      if (!opened) throw new Error('the store opens in beforeAll');
      return opened;
    },
  };
}

/** The store's own Kysely handle, for tests that inspect or bypass the repositories on purpose. */
export function rawDatabase(store: Store): Kysely<StoreDatabase> {
  return store['database'].db;
}
