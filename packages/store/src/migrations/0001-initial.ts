import { type Kysely, sql } from 'kysely';

const AMOUNT = 'numeric(78, 0)';

/** Invoices, their payment ledger and the callback log. Migrations are frozen once released. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createInvoices(db);
  await createPayments(db);
  await createCallbackDeliveries(db);
}

async function createInvoices(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('coin', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('fiat_currency', 'text', (c) => c.notNull())
    .addColumn('fiat_minor', AMOUNT, (c) => c.notNull().check(sql`fiat_minor >= 0`))
    // An exact decimal string as quoted; numeric would normalise "64123.450" and lose the quote's text.
    .addColumn('rate', 'text', (c) => c.notNull())
    .addColumn('amount_due', AMOUNT, (c) => c.notNull().check(sql`amount_due >= 0`))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('provider_reference', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('new', 'processing', 'settled', 'expired', 'invalid')`))
    .addColumn('exception_status', 'text', (c) => c.check(sql`exception_status in ('paidPartial', 'paidOver', 'paidLate')`))
    .addColumn('policy', 'jsonb', (c) => c.notNull())
    .addColumn('metadata', 'jsonb', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 0`))
    .addColumn('next_time_check_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('invoices_provider_address_key', ['provider', 'address'])
    .execute();
  await db.schema.createIndex('invoices_order_id_idx').on('invoices').columns(['order_id', 'created_at']).execute();
  // Only invoices the clock can still change are in the sweep's index.
  await db.schema
    .createIndex('invoices_next_time_check_at_idx')
    .on('invoices')
    .column('next_time_check_at')
    .where(sql.ref('next_time_check_at'), 'is not', null)
    .execute();
}

async function createPayments(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('payments')
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('coin', 'text', (c) => c.notNull())
    .addColumn('txid', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('amount', AMOUNT, (c) => c.notNull().check(sql`amount >= 0`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'confirmed', 'reverted')`))
    .addColumn('confirmations', 'integer', (c) => c.check(sql`confirmations >= 0`))
    .addColumn('rbf', 'boolean', (c) => c.notNull())
    .addColumn('test', 'boolean', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    // The durable backstop against counting one transaction output twice, whatever Redis says.
    .addPrimaryKeyConstraint('payments_ledger_key', ['invoice_id', 'coin', 'txid', 'address'])
    .execute();
}

async function createCallbackDeliveries(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('callback_deliveries')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('remote_ip', 'text')
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('headers', 'jsonb', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) =>
      c.notNull().check(sql`verdict in ('applied', 'duplicate', 'unmatched', 'rejected', 'retry-later')`),
    )
    .addColumn('reason', 'text')
    // No foreign key: the log is evidence of what arrived and must be recordable whatever the invoices hold.
    .addColumn('invoice_id', 'text')
    .addColumn('delivery_key', 'text')
    .addColumn('response_status', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull().check(sql`duration_ms >= 0`))
    .execute();
  // Listings are newest first (id descending) with an optional filter each.
  for (const column of ['provider', 'verdict', 'invoice_id'] as const) {
    await db.schema
      .createIndex(`callback_deliveries_${column}_idx`)
      .on('callback_deliveries')
      .columns([column, 'id desc'])
      .execute();
  }
  await db.schema.createIndex('callback_deliveries_received_at_idx').on('callback_deliveries').column('received_at').execute();
}
