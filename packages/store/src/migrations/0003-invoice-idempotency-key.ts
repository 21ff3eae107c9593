import { type Kysely } from 'kysely';

/**
 * The `Idempotency-Key` an invoice was created with, scoped to its API caller, and the fingerprint of
 * that request: the durable guard behind the Redis fast path. The unique index makes two requests
 * with one key create one invoice, whichever instance each reaches. Null for invoices without a key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('invoices')
    .addColumn('idempotency_caller', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('idempotency_fingerprint', 'text')
    .execute();
  await db.schema.createIndex('invoices_idempotency_key').on('invoices').columns(['idempotency_caller', 'idempotency_key']).unique().execute();
}
