import { type Kysely, sql } from 'kysely';

/**
 * Reconciliation (issue 20): when the reconciler next asks the provider about an invoice's payments
 * (null: never again — settled, invalid, past its monitoring window, or a provider that cannot
 * reconcile), indexed for the claim; and the source of each callback log entry, so an operator sees
 * whether a payment arrived by `callback` or was found by `reconcile`. Invoices still open get their
 * first reconciliation two minutes after creation, the default schedule's first step.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('invoices').addColumn('next_reconcile_at', 'timestamptz').execute();
  await sql`update invoices set next_reconcile_at = created_at + interval '2 minutes' where status in ('new', 'processing', 'expired')`.execute(db);
  await db.schema
    .createIndex('invoices_next_reconcile_at')
    .on('invoices')
    .column('next_reconcile_at')
    .where(sql.ref('next_reconcile_at'), 'is not', null)
    .execute();
  await db.schema
    .alterTable('callback_deliveries')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('callback').check(sql`source in ('callback', 'reconcile')`))
    .execute();
}
