import { type Kysely } from 'kysely';
import { type StoreDatabase } from './schema.js';

/** Where the data lives: a PostgreSQL server, PGlite files, or PGlite memory (lost on exit). */
export type StoreKind = 'postgres' | 'pglite-file' | 'pglite-memory';

export interface Database {
  readonly kind: StoreKind;
  readonly db: Kysely<StoreDatabase>;
  /** Runs `work` on a handle with the migration time limits instead of the request ones. */
  forMigration<T>(work: (db: Kysely<StoreDatabase>) => Promise<T>): Promise<T>;
}
