import { type Kysely, sql } from 'kysely';

/**
 * Many merchants (issue 21): merchants (the `default` one holds every invoice so far), their API keys
 * (a keyed hash, never the key), their provider accounts (credentials envelope-encrypted by the
 * application, never in clear), and each invoice's merchant and provider account. Addresses become
 * unique per provider account: two accounts of one provider are two wallets. The ledger's key
 * (invoice, coin, txid, address) is already within one invoice, so within one account.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('merchants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // `v1:<kid>:…`: the merchant's data key wrapped by a key-encryption key; null until first needed.
    .addColumn('data_key', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`insert into merchants (id, name, created_at) values ('default', 'Default merchant', now())`.execute(db);
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('api_keys_merchant_id_idx').on('api_keys').columns(['merchant_id', 'created_at']).execute();
  await db.schema
    .createTable('provider_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    // Field name → ciphertext (`v1:<data key id>:…`), bound to its merchant, account and field.
    .addColumn('credentials', 'jsonb', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('provider_accounts_merchant_id_idx').on('provider_accounts').columns(['merchant_id', 'provider']).execute();
  // No foreign keys: like the callback log, an invoice's owner is fixed by the code that creates it.
  await db.schema
    .alterTable('invoices')
    .addColumn('merchant_id', 'text', (c) => c.notNull().defaultTo('default'))
    .addColumn('provider_account_id', 'text')
    .execute();
  await db.schema.alterTable('invoices').dropConstraint('invoices_provider_address_key').execute();
  await sql`create unique index invoices_account_address_key on invoices (provider, coalesce(provider_account_id, ''), address)`.execute(db);
  await db.schema.createIndex('invoices_merchant_order_id_idx').on('invoices').columns(['merchant_id', 'order_id', 'created_at']).execute();
}
