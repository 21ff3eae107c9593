import { sql } from 'kysely';
import { BACKENDS, postgresBackend, rawDatabase } from './support/backends.js';

describe.each(BACKENDS)('migrations on %s', (_name, factory) => {
  const backend = factory();
  afterAll(() => backend.dispose());

  it('apply from zero, then find nothing left to do', async () => {
    const store = await backend.open();

    expect(await store.migrateToLatest()).toEqual({ applied: ['0001-initial', '0002-minimum-payment', '0003-invoice-idempotency-key', '0006-reconciliation', '0007-merchants', '0008-webhooks', '0009-checkout-redirect-url'] });
    expect(await store.migrateToLatest()).toEqual({ applied: [] });
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('store every amount as numeric(78,0) and no column as a float', async () => {
    const store = await backend.open();
    await store.migrateToLatest();

    const { rows: columns } = await sql<{ column_name: string; data_type: string; precision: number | null; scale: number | null }>`
      select column_name, data_type, numeric_precision as precision, numeric_scale as scale
        from information_schema.columns
       where table_schema = current_schema() and table_name in ('invoices', 'payments', 'callback_deliveries')`.execute(
      rawDatabase(store),
    );

    expect(columns.filter((column) => ['real', 'double precision'].includes(column.data_type))).toEqual([]);
    const amounts = columns.filter((column) => ['fiat_minor', 'amount_due', 'amount', 'minimum_payment'].includes(column.column_name));
    expect(amounts).toHaveLength(4);
    for (const amount of amounts) expect(amount).toMatchObject({ data_type: 'numeric', precision: 78, scale: 0 });
  });
});

describe('migrations on postgres, several instances starting at once', () => {
  const backend = postgresBackend();
  afterAll(() => backend.dispose());

  it('serialize on the advisory lock: one instance migrates, the others find the schema current', async () => {
    const instances = await Promise.all([backend.open(), backend.open(), backend.open()]);

    const reports = await Promise.all(instances.map((store) => store.migrateToLatest()));

    expect(reports.map((report) => report.applied).sort()).toEqual([[], [], ['0001-initial', '0002-minimum-payment', '0003-invoice-idempotency-key', '0006-reconciliation', '0007-merchants', '0008-webhooks', '0009-checkout-redirect-url']]);
    await Promise.all(instances.map((store) => store.ping()));
  });
});
