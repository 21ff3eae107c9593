import { type Kysely } from 'kysely';
import { type StoreDatabase } from './schema.js';

/** Where the data lives: a PostgreSQL server, PGlite files, or PGlite memory (lost on exit). */
export type StoreKind = 'postgres' | 'pglite-file' | 'pglite-memory';

/** The connection pool's counts right now (PostgreSQL): `waiting` are queries queued for a connection. */
export interface PoolUsage {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

export interface Database {
  readonly kind: StoreKind;
  /** Null for PGlite, which has one connection and no pool. */
  poolUsage(): PoolUsage | null;
  readonly db: Kysely<StoreDatabase>;
  /** Runs `work` on a handle with the migration time limits instead of the request ones. */
  forMigration<T>(work: (db: Kysely<StoreDatabase>) => Promise<T>): Promise<T>;
}
