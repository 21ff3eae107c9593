import { type Kysely, type Transaction } from 'kysely';
import { type StoreDatabase } from './schema.js';

/** Runs `work` in the caller's transaction when there is one, else in a new one. */
export async function inTransaction<T>(db: Kysely<StoreDatabase>, work: (trx: Kysely<StoreDatabase>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute((trx: Transaction<StoreDatabase>) => work(trx));
}

/** The failed constraint of a unique violation (SQLSTATE 23505), from either dialect's error. */
export function violatedUniqueConstraint(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && typeof constraint === 'string' ? constraint : null;
}

/** An INSERT … ON CONFLICT DO UPDATE that met the same key twice in its own rows (SQLSTATE 21000). */
export function isRepeatedConflictKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '21000';
}
