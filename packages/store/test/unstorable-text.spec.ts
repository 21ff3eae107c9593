import { StoreQueryError } from '../src/index.js';
import { BACKENDS, useMigratedStore } from './support/backends.js';
import { deliveryEntry } from './support/deliveries.js';
import { newInvoice } from './support/invoices.js';

/** The last line behind the API's input validation: text PostgreSQL refuses is the caller's error, never a 500. */
describe.each(BACKENDS)('text the database cannot store, on %s', (_name, factory) => {
  const { store } = useMigratedStore(factory);

  it.each([
    ['a NUL in a text column', () => newInvoice({ orderId: 'order\u0000nul' })],
    ['a NUL in a jsonb value', () => newInvoice({ metadata: { note: 'a\u0000b' } })],
    ['a NUL in a jsonb key', () => newInvoice({ metadata: { 'k\u0000': 'v' } })],
  ])('refuses %s with a StoreQueryError, writing nothing', async (_case, make) => {
    const invoice = make();
    const refused = store().invoices.create(invoice);
    await expect(refused).rejects.toBeInstanceOf(StoreQueryError);
    await expect(refused).rejects.toMatchObject({ field: 'text' });
    expect(await store().invoices.findById(invoice.id)).toBeNull();
  });

  it('refuses a NUL in a lookup or a listing filter, and in a delivery log entry', async () => {
    await expect(store().invoices.findByOrderId('\u0000')).rejects.toBeInstanceOf(StoreQueryError);
    await expect(store().deliveries.list({ provider: '\u0000', limit: 1 })).rejects.toBeInstanceOf(StoreQueryError);
    await expect(store().deliveries.list({ invoiceId: 'x\u0000', limit: 1 })).rejects.toBeInstanceOf(StoreQueryError);
    await expect(store().deliveries.record(deliveryEntry({ body: 'a\u0000b' }))).rejects.toBeInstanceOf(StoreQueryError);
    // The session is still usable afterwards.
    const invoice = newInvoice();
    await store().invoices.create(invoice);
    expect((await store().invoices.findById(invoice.id))?.id).toBe(invoice.id);
  });
});
