import { type Kysely } from 'kysely';

/**
 * Where the hosted checkout page sends the payer back once the invoice is settled: the merchant's
 * http(s) URL given at creation (`redirectUrl`), or null. Written once, like the minimum payment.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('invoices').addColumn('redirect_url', 'text').execute();
}
