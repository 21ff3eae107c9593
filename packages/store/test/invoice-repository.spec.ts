import {
  applyClock,
  type Invoice,
  InvoiceAlreadyExistsError,
  InvoiceConcurrencyError,
  parseCoinAmount,
  DEFAULT_COINS,
} from '@cryptopay/invoice';
import { sql } from 'kysely';
import { DuplicatePaymentError } from '../src/index.js';
import { BACKENDS, rawDatabase, useMigratedStore } from './support/backends.js';
import { deliveryEntry } from './support/deliveries.js';
import { minutesAfter, newInvoice, NOW, paid, withPayment } from './support/invoices.js';

const ETH = DEFAULT_COINS.find((coin) => coin.code === 'ETH')!;
const TWO_POW_70 = 2n ** 70n;

describe.each(BACKENDS)('invoice repository on %s', (_name, factory) => {
  const { store } = useMigratedStore(factory);

  describe('round trip', () => {
    it('keeps 2^70 base units, 18-decimal ETH payments, metadata, policy and dates exactly', async () => {
      const created = newInvoice({
        coin: 'ETH',
        fiat: { currency: 'USD', minor: 123456789012345678901234567n },
        rate: '3120.123456789012345678',
        amountDue: TWO_POW_70,
        providerReference: 'ref-42',
        metadata: { cart: [{ sku: 'A-1', price: '0.10' }], nested: { deep: true, none: null } },
      });
      const oneWeiShort = parseCoinAmount(ETH, '1180.591620717411303423');
      const invoice = withPayment(created, paid(created, oneWeiShort, { kind: 'confirmed', confirmations: 12, rbf: false }));
      await store().invoices.create(created);
      await store().invoices.update(invoice);

      const stored = await store().invoices.findById(invoice.id);

      expect(stored).toEqual(invoice);
      expect(stored?.amountDue).toBe(1180591620717411303424n);
      expect(stored?.payments[0]?.amount).toBe(1180591620717411303423n);
      expect(stored?.policy.tolerancePercent).toBe('0.5');
      expect(stored?.expiresAt.toISOString()).toBe('2026-11-22T10:15:00.123Z');
    });

    it('stores the payments an invoice is created with, exactly', async () => {
      const created = newInvoice({ coin: 'ETH', amountDue: TWO_POW_70 });
      const invoice = withPayment(created, paid(created, parseCoinAmount(ETH, '1180.591620717411303423'), { kind: 'confirmed', confirmations: 3, rbf: false }));
      await store().invoices.create(invoice);

      expect(await store().invoices.findById(invoice.id)).toEqual(invoice);
    });

    it('keeps the minimum payment given at creation exactly, and no update changes it', async () => {
      const created = newInvoice({ coin: 'ETH', amountDue: TWO_POW_70 });
      await store().invoices.create(created, { minimumPayment: TWO_POW_70 + 1n });
      const updated = withPayment(created, paid(created, 1n));
      await store().invoices.update(updated);

      expect(await store().invoices.findById(created.id)).toEqual({ ...updated, minimumPayment: TWO_POW_70 + 1n });
      const none = newInvoice();
      await store().invoices.create(none);
      expect((await store().invoices.findById(none.id))?.minimumPayment).toBeNull();
    });

    it('finds by order (oldest first) and by provider address', async () => {
      const first = newInvoice({}, NOW);
      const second = newInvoice({ orderId: first.orderId }, minutesAfter(NOW, 1));
      await store().invoices.create(second);
      await store().invoices.create(first);

      expect((await store().invoices.findByOrderId(first.orderId)).map((invoice) => invoice.id)).toEqual([first.id, second.id]);
      expect(await store().invoices.findByAddress('blockonomics', second.address)).toEqual(second);
      expect(await store().invoices.findByAddress('blockbee', second.address)).toBeNull();
      expect(await store().invoices.findById('inv_missing')).toBeNull();
    });

    it('refuses a second invoice with the same id, or the same provider address', async () => {
      const invoice = newInvoice();
      await store().invoices.create(invoice);

      await expect(store().invoices.create({ ...newInvoice(), id: invoice.id })).rejects.toEqual(
        new InvoiceAlreadyExistsError(invoice.id, 'id'),
      );
      const sameAddress = newInvoice({ address: invoice.address });
      await expect(store().invoices.create(sameAddress)).rejects.toEqual(new InvoiceAlreadyExistsError(sameAddress.id, 'address'));
      expect(await store().invoices.findById(sameAddress.id)).toBeNull();
    });
  });

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

    it('refuses an update of an invoice that was never stored', async () => {
      const invoice = newInvoice();

      await expect(store().invoices.update({ ...invoice, version: 2 })).rejects.toBeInstanceOf(InvoiceConcurrencyError);
    });

    it('stores the callback entry with the change it caused, and neither when the version check refuses', async () => {
      const invoice = newInvoice();
      await store().invoices.create(invoice);
      const applied = deliveryEntry({ invoiceId: invoice.id, deliveryKey: 'first' });

      await store().invoices.update(withPayment(invoice, paid(invoice, 1000n)), { previous: invoice, delivery: applied });
      const stale = store().invoices.update(withPayment(invoice, paid(invoice, 2000n)), { delivery: deliveryEntry({ invoiceId: invoice.id, deliveryKey: 'second' }) });

      await expect(stale).rejects.toEqual(new InvoiceConcurrencyError(invoice.id, 1));
      const { deliveries } = await store().deliveries.list({ invoiceId: invoice.id, limit: 10 });
      expect(deliveries.map(({ id: _id, ...entry }) => entry)).toEqual([applied]);
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

  describe('time checks', () => {
    it('lists invoices whose next time check is due, soonest first, and drops them once the clock has acted', async () => {
      const later = newInvoice({}, minutesAfter(NOW, -5));
      const sooner = newInvoice({}, minutesAfter(NOW, -10));
      const notDue = newInvoice({}, minutesAfter(NOW, 60));
      for (const invoice of [later, sooner, notDue]) await store().invoices.create(invoice);
      const sweepAt = minutesAfter(NOW, 11);

      const due = await store().invoices.findDueForTimeCheck(sweepAt, 100);
      const ours = due.filter((invoice) => [later.id, sooner.id, notDue.id].includes(invoice.id));
      expect(ours.map((invoice) => invoice.id)).toEqual([sooner.id, later.id]);

      await store().invoices.update(applyClock(sooner, sweepAt).invoice);
      const after = await store().invoices.findDueForTimeCheck(sweepAt, 100);
      expect(after.map((invoice) => invoice.id)).not.toContain(sooner.id);
      await expect(store().invoices.findDueForTimeCheck(sweepAt, 0)).rejects.toBeInstanceOf(RangeError);
    });
  });
});
