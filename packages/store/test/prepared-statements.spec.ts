import { sql } from 'kysely';
import { postgresBackend, rawDatabase, useMigratedStore } from './support/backends.js';
import { deliveryEntry } from './support/deliveries.js';
import { newInvoice, paid, withPayment } from './support/invoices.js';

/** The statements of the connection the next query runs on (the pool hands back the one just released). */
async function preparedTexts(store: Parameters<typeof rawDatabase>[0]): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(rawDatabase(store));
  return rows.map((row) => row.statement);
}

describe('prepared statements on postgres', () => {
  const { backend, store } = useMigratedStore(postgresBackend);

  it('prepares the invoice read and the invoice write once per connection, and runs them again by name', async () => {
    const invoice = newInvoice();
    await store().invoices.create(invoice);
    const read = await store().invoices.findByAddress('blockonomics', invoice.address);
    const next = withPayment(read!, paid(invoice, 1000n));
    await store().invoices.update(next, { previous: read!, delivery: deliveryEntry({ invoiceId: invoice.id }) });
    const again = await store().invoices.findByAddress('blockonomics', invoice.address);

    expect(again).toEqual(next);
    const texts = await preparedTexts(store());
    expect(texts.filter((text) => text.includes('where "provider" = $'))).toHaveLength(1);
    expect(texts.filter((text) => text.includes('insert into callback_deliveries'))).toHaveLength(1);
  });

  it('prepares nothing when turned off, with the same results', async () => {
    const unprepared = await backend.open({ preparedStatements: false });
    const invoice = newInvoice();
    await unprepared.invoices.create(invoice);
    const next = withPayment(invoice, paid(invoice, 1000n));
    await unprepared.invoices.update(next, { previous: invoice });

    expect(await unprepared.invoices.findById(invoice.id)).toEqual(next);
    expect(await preparedTexts(unprepared)).toEqual([]);
  });
});
