import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { type ResolvedStoreOptions } from '../options.js';
import { type Database } from './database.js';
import { PGliteDialect } from './pglite-dialect.js';
import { type StoreDatabase } from './schema.js';

const INT8 = 20;

/** Embedded PostgreSQL: one process owns its data directory; no server, no pool, no timeouts. */
export async function openPGlite(settings: ResolvedStoreOptions): Promise<Database> {
  if (settings.dataDir) await mkdir(settings.dataDir, { recursive: true });
  // bigint columns as decimal strings, as node-postgres returns them: never a lossy number.
  const pglite = await PGlite.create({ dataDir: settings.dataDir ?? undefined, parsers: { [INT8]: (text: string) => text } });
  await pglite.query(`set search_path to ${settings.schema}`);
  const db = new Kysely<StoreDatabase>({ dialect: new PGliteDialect(pglite, settings.connectTimeoutMs) });
  return { kind: settings.dataDir ? 'pglite-file' : 'pglite-memory', db, poolUsage: () => null, forMigration: (work) => work(db) };
}
