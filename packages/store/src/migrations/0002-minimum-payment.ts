import { type Kysely, sql } from 'kysely';

/**
 * The smallest payment the provider forwards (BlockBee's minimum transaction), in base units, fixed
 * when the invoice is created; null when the provider has none. Exact, like every amount.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('invoices')
    .addColumn('minimum_payment', 'numeric(78, 0)', (c) => c.check(sql`minimum_payment >= 0`))
    .execute();
}
