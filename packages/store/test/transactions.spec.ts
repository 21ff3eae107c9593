import { InvoiceConcurrencyError } from '@cryptopay/invoice';
import { BACKENDS, postgresBackend, useMigratedStore } from './support/backends.js';
import { deferred, pausedCallback, sessionsWaitingOnLock } from './support/concurrency.js';
import { deliveryEntry } from './support/deliveries.js';
import { newInvoice, paid, withPayment } from './support/invoices.js';

describe.each(BACKENDS)('store.transaction on %s', (_name, factory) => {
  const { backend, store } = useMigratedStore(factory);

  it('commits the invoice, its payments and the delivery record together', async () => {
    const invoice = newInvoice();
    await store().invoices.create(invoice);

    const delivery = await store().transaction(async (tx) => {
      const current = await tx.invoices.findByAddressForUpdate('blockonomics', invoice.address);
      await tx.invoices.update(withPayment(current!, paid(invoice, 38988n)));
      return tx.deliveries.record(deliveryEntry({ invoiceId: invoice.id, deliveryKey: `key-${invoice.id}` }));
    });

    expect((await store().invoices.findById(invoice.id))?.payments).toHaveLength(1);
    const { deliveries } = await store().deliveries.list({ invoiceId: invoice.id, limit: 10 });
    expect(deliveries).toEqual([delivery]);
  });

  it('rolls everything back when the work throws, and rethrows its error unchanged', async () => {
    const invoice = newInvoice();
    await store().invoices.create(invoice);
    // Looks like an outage, but it is the work's (a broker's), not the database's: not reclassified.
    const failure = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5672'), { code: 'ECONNREFUSED' });

    await expect(
      store().transaction(async (tx) => {
        await tx.invoices.update(withPayment(invoice, paid(invoice, 38988n)));
        await tx.deliveries.record(deliveryEntry({ invoiceId: invoice.id }));
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(await store().invoices.findById(invoice.id)).toEqual(invoice);
    expect((await store().deliveries.list({ invoiceId: invoice.id, limit: 10 })).deliveries).toEqual([]);
  });

  it('serializes two callbacks on one invoice with FOR UPDATE: both apply, no update is lost', async () => {
    const invoice = newInvoice();
    await store().invoices.create(invoice);
    const first = await pausedCallback(store(), invoice, 1000n);
    const second = await backend.open(); // another app instance on PostgreSQL

    const other = second.transaction(async (tx) => {
      const current = await tx.invoices.findByIdForUpdate(invoice.id);
      await tx.invoices.update(withPayment(current!, paid(invoice, 2000n)));
      return current!;
    });
    if (backend.name === 'postgres') await sessionsWaitingOnLock(backend.applicationName);
    await first.proceed();
    // The read that waited for the lock sees the invoice and its ledger as the first one committed them.
    const readAfterWait = await other;
    expect(readAfterWait.version).toBe(2);
    expect(readAfterWait.payments.map((payment) => payment.amount)).toEqual([1000n]);

    const stored = await store().invoices.findById(invoice.id);
    expect(stored?.version).toBe(3);
    expect(stored?.payments.map((payment) => payment.amount)).toEqual([1000n, 2000n]);
  });
});

describe('store.transaction on postgres without the row lock', () => {
  const { backend, store } = useMigratedStore(postgresBackend);

  it('still loses no update: the version check refuses the writer that read a stale version', async () => {
    const invoice = newInvoice();
    await store().invoices.create(invoice);
    const second = await backend.open();
    const staleRead = deferred();
    const firstCommitted = deferred();

    const other = second.transaction(async (tx) => {
      const current = await tx.invoices.findById(invoice.id);
      staleRead.resolve();
      await firstCommitted.promise;
      await tx.invoices.update(withPayment(current!, paid(invoice, 2000n)));
    });
    await staleRead.promise;
    await store().transaction(async (tx) => {
      const current = await tx.invoices.findById(invoice.id);
      await tx.invoices.update(withPayment(current!, paid(invoice, 1000n)));
    });
    firstCommitted.resolve();

    await expect(other).rejects.toEqual(new InvoiceConcurrencyError(invoice.id, 1));
    expect((await store().invoices.findById(invoice.id))?.payments.map((payment) => payment.amount)).toEqual([1000n]);
  });
});
