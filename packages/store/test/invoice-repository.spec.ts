import { type Invoice, InvoiceConcurrencyError } from '@cryptopay/invoice';
import { sql } from 'kysely';
import { DuplicatePaymentError } from '../src/index.js';
import { BACKENDS, rawDatabase, useMigratedStore } from './support/backends.js';
import { deliveryEntry } from './support/deliveries.js';
import { newInvoice, NOW, paid, withPayment } from './support/invoices.js';

/** What the store does beyond the repository contract (invoice-repository-contract.spec.ts): SQL, transactions, the callback log. */
describe.each(BACKENDS)('invoice repository on %s', (_name, factory) => {
  const { store } = useMigratedStore(factory);

  describe('optimistic concurrency', () => {
    it('lets exactly one of two updates from the same version win', async () => {
      const invoice = newInvoice();
      await store().invoices.create(invoice);

      const outcomes = await Promise.allSettled([
        store().invoices.update(withPayment(invoice, paid(invoice, 1000n))),
        store().invoices.update(withPayment(invoice, paid(invoice, 2000n))),
      ]);

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const [lost] = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(lost?.reason).toEqual(new InvoiceConcurrencyError(invoice.id, 1));
      const stored = await store().invoices.findById(invoice.id);
      expect(stored?.version).toBe(2);
      expect(stored?.payments).toHaveLength(1);
    });

    it('stores the callback entry with the change it caused, and neither when the version check refuses', async () => {
      const invoice = newInvoice();
      await store().invoices.create(invoice);
      const applied = deliveryEntry({ invoiceId: invoice.id, deliveryKey: 'first' });

      await store().invoices.update(withPayment(invoice, paid(invoice, 1000n)), { previous: invoice, delivery: applied });
      const stale = store().invoices.update(withPayment(invoice, paid(invoice, 2000n)), { delivery: deliveryEntry({ invoiceId: invoice.id, deliveryKey: 'second' }) });

      await expect(stale).rejects.toEqual(new InvoiceConcurrencyError(invoice.id, 1));
      const { deliveries } = await store().deliveries.list({ invoiceId: invoice.id, limit: 10 });
      expect(deliveries.map(({ id: _id, ...entry }) => entry)).toEqual([{ ...applied, source: 'callback' }]);
      expect((await store().invoices.findById(invoice.id))?.payments.map((payment) => payment.amount)).toEqual([1000n]);
    });

    it('never writes a callback entry for an invoice that was never stored', async () => {
      const invoice = newInvoice();

      const update = store().invoices.update(withPayment(invoice, paid(invoice, 1n)), { delivery: deliveryEntry({ invoiceId: invoice.id }) });

      await expect(update).rejects.toBeInstanceOf(InvoiceConcurrencyError);
      expect((await store().deliveries.list({ invoiceId: invoice.id, limit: 10 })).deliveries).toEqual([]);
    });
  });

  describe('payment ledger', () => {
    it('updates a payment in place on its key and keeps the ledger order', async () => {
      const invoice = newInvoice();
      await store().invoices.create(invoice);
      const first = paid(invoice, 20000n);
      const withFirst = withPayment(invoice, first);
      const withBoth = withPayment(withFirst, paid(invoice, 18988n));
      const confirmed = withPayment(withBoth, { ...first, kind: 'confirmed', confirmations: 1 });
      await store().invoices.update(withFirst);
      await store().invoices.update(withBoth);
      await store().invoices.update(confirmed);

      const stored = await store().invoices.findById(invoice.id);

      expect(stored).toEqual(confirmed);
      expect(stored?.payments.map((payment) => payment.state)).toEqual(['confirmed', 'pending']);
      const { rows } = await sql<{ count: string }>`select count(*)::text as count from payments where invoice_id = ${invoice.id}`.execute(
        rawDatabase(store()),
      );
      expect(rows[0]?.count).toBe('2');
    });

    it('given the invoice as read before the change, writes only the payments that changed', async () => {
      const invoice = newInvoice();
      await store().invoices.create(invoice);
      const withFirst = withPayment(invoice, paid(invoice, 20000n));
      await store().invoices.update(withFirst);
      // Marks the stored row: rewritten, it would lose the mark.
      const db = rawDatabase(store());
      await sql`update payments set confirmations = 7 where invoice_id = ${invoice.id}`.execute(db);

      await store().invoices.update(withPayment(withFirst, paid(invoice, 18988n)), { previous: withFirst });

      const { rows } = await sql<{ confirmations: number | null }>`select confirmations from payments where invoice_id = ${invoice.id} order by ordinal`.execute(db);
      expect(rows.map((row) => row.confirmations)).toEqual([7, 0]); // the first kept its mark; the new one as observed
    });

    it('inside a transaction applies successive updates on top of each other, ledger complete', async () => {
      const invoice = newInvoice();
      await store().invoices.create(invoice);
      const first = paid(invoice, 20000n);
      await store().invoices.update(withPayment(invoice, first));

      await store().transaction(async (tx) => {
        const current = await tx.invoices.findByIdForUpdate(invoice.id);
        const withSecond = withPayment(current!, paid(invoice, 18988n));
        await tx.invoices.update(withSecond);
        await tx.invoices.update(withPayment(withSecond, { ...first, kind: 'confirmed', confirmations: 1 }));
      });

      const stored = await store().invoices.findById(invoice.id);
      expect(stored?.version).toBe(4);
      expect(stored?.payments.map((payment) => [payment.amount, payment.state])).toEqual([
        [20000n, 'confirmed'],
        [18988n, 'pending'],
      ]);
    });

    it('inside a transaction leaves an unchanged payment row as it is', async () => {
      const invoice = newInvoice();
      await store().invoices.create(invoice);
      await store().invoices.update(withPayment(invoice, paid(invoice, 20000n)));
      const xmin = async () =>
        (await sql<{ xmin: string }>`select xmin::text as xmin from payments where invoice_id = ${invoice.id} order by ordinal`.execute(rawDatabase(store()))).rows[0]?.xmin;
      const before = await xmin();

      await store().transaction(async (tx) => {
        const current = await tx.invoices.findByIdForUpdate(invoice.id);
        await tx.invoices.update(withPayment(current!, paid(invoice, 1n)));
      });

      expect(await xmin()).toBe(before);
      expect((await store().invoices.findById(invoice.id))?.payments).toHaveLength(2);
    });

    it('has a unique key that refuses a second row for one (invoice, coin, txid, address)', async () => {
      const created = newInvoice();
      const invoice = withPayment(created, paid(created, 1n));
      await store().invoices.create({ ...invoice, version: 1 });
      const [payment] = invoice.payments;
      const row = {
        invoice_id: invoice.id,
        coin: payment!.coin,
        txid: payment!.txid,
        address: invoice.address,
        ordinal: 1,
        amount: '1',
        state: 'pending' as const,
        confirmations: 0,
        rbf: false,
        test: false,
        received_at: NOW,
        updated_at: NOW,
      };

      await expect(rawDatabase(store()).insertInto('payments').values(row).execute()).rejects.toMatchObject({
        code: '23505',
        constraint: 'payments_ledger_key',
      });
    });

    it('surfaces a ledger holding one transaction output twice as DuplicatePaymentError and writes nothing', async () => {
      const invoice = newInvoice();
      await store().invoices.create(invoice);
      const once = withPayment(invoice, paid(invoice, 1000n));
      const twice: Invoice = { ...once, payments: [once.payments[0]!, once.payments[0]!] };

      await expect(store().invoices.update(twice)).rejects.toEqual(new DuplicatePaymentError(invoice.id));
      await expect(store().invoices.create({ ...twice, id: `${invoice.id}-b`, address: `${invoice.address}-b` })).rejects.toBeInstanceOf(
        DuplicatePaymentError,
      );

      expect(await store().invoices.findById(invoice.id)).toEqual(invoice);
      expect(await store().invoices.findById(`${invoice.id}-b`)).toBeNull();
    });
  });
});
