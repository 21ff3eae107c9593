import {
  applyClock,
  applyObservation,
  InMemoryInvoiceRepository,
  InvoiceAlreadyExistsError,
  InvoiceConcurrencyError,
  type Invoice,
} from '../src/index.js';
import { AFTER_EXPIRY, AFTER_MONITORING, at, BEFORE_EXPIRY, confirmed, DUE, openInvoice, seen } from './fixtures.js';

function invoice(id: string, overrides: Partial<Parameters<typeof openInvoice>[1]> = {}): Invoice {
  return openInvoice({}, { id, address: `addr-${id}`, orderId: `order-${id}`, ...overrides });
}

describe('InMemoryInvoiceRepository', () => {
  let repository: InMemoryInvoiceRepository;
  beforeEach(() => {
    repository = new InMemoryInvoiceRepository();
  });

  it('stores and finds invoices by id, order id and (provider, address), as copies', async () => {
    const stored = invoice('a');
    await repository.create(stored);
    await repository.create(invoice('b', { orderId: 'order-a' }));

    const found = await repository.findById('a');
    expect(found).toEqual(stored);
    expect(found).not.toBe(stored);
    expect((await repository.findByOrderId('order-a')).map((each) => each.id)).toEqual(['a', 'b']);
    expect((await repository.findByAddress('blockonomics', 'addr-b'))?.id).toBe('b');
    expect(await repository.findByAddress('blockbee', 'addr-b')).toBeNull();
    expect(await repository.findById('missing')).toBeNull();
  });

  it('is not changed by a caller mutating what it read', async () => {
    await repository.create(invoice('a'));
    const read = (await repository.findById('a')) as { status: string };
    read.status = 'settled';
    expect((await repository.findById('a'))?.status).toBe('new');
  });

  it('rejects a duplicate id or a reused (provider, address)', async () => {
    await repository.create(invoice('a'));
    await expect(repository.create(invoice('a', { address: 'other' }))).rejects.toMatchObject({
      name: 'InvoiceAlreadyExistsError',
      conflict: 'id',
    });
    await expect(repository.create(invoice('b', { address: 'addr-a' }))).rejects.toBeInstanceOf(InvoiceAlreadyExistsError);
    await expect(repository.create(invoice('c', { address: 'addr-a', provider: 'blockbee' }))).resolves.toBeUndefined();
  });

  it('updates only from the stored version: the second of two concurrent writers must re-read', async () => {
    await repository.create(invoice('a'));
    const readByFirst = (await repository.findById('a')) as Invoice;
    const readBySecond = (await repository.findById('a')) as Invoice;

    await repository.update(applyObservation(readByFirst, seen(DUE, { address: 'addr-a' }), BEFORE_EXPIRY).invoice);
    const stale = applyObservation(readBySecond, seen(1n, { txid: 'tx-b', address: 'addr-a' }), BEFORE_EXPIRY).invoice;
    const conflict = repository.update(stale);
    await expect(conflict).rejects.toBeInstanceOf(InvoiceConcurrencyError);
    await expect(conflict).rejects.toMatchObject({ invoiceId: 'a', expectedVersion: 1 });

    const reread = (await repository.findById('a')) as Invoice;
    await repository.update(applyObservation(reread, seen(1n, { txid: 'tx-b', address: 'addr-a' }), BEFORE_EXPIRY).invoice);
    const final = await repository.findById('a');
    expect(final?.version).toBe(3);
    expect(final?.payments.map((payment) => payment.txid)).toEqual(['tx-a', 'tx-b']);
  });

  it('refuses an update that skips a version or targets an unknown invoice', async () => {
    const stored = invoice('a');
    await repository.create(stored);
    await expect(repository.update({ ...stored, version: 3 })).rejects.toBeInstanceOf(InvoiceConcurrencyError);
    await expect(repository.update({ ...stored, version: 1 })).rejects.toBeInstanceOf(InvoiceConcurrencyError);
    await expect(repository.update({ ...invoice('x'), version: 2 })).rejects.toBeInstanceOf(InvoiceConcurrencyError);
  });

  it('finds the invoices due for a time check, earliest first, up to the limit', async () => {
    const open = invoice('open');
    const processing = applyObservation(invoice('processing'), seen(DUE, { address: 'addr-processing' }), BEFORE_EXPIRY).invoice;
    const settled = applyObservation(invoice('settled'), confirmed(DUE, { address: 'addr-settled' }), BEFORE_EXPIRY).invoice;
    for (const each of [processing, settled, open]) await repository.create(each);

    expect(await repository.findDueForTimeCheck(at(14), 10)).toEqual([]);
    expect((await repository.findDueForTimeCheck(AFTER_EXPIRY, 10)).map((each) => each.id)).toEqual(['open']);
    expect((await repository.findDueForTimeCheck(AFTER_MONITORING, 10)).map((each) => each.id)).toEqual(['open', 'processing']);
    expect((await repository.findDueForTimeCheck(AFTER_MONITORING, 1)).map((each) => each.id)).toEqual(['open']);

    await repository.update(applyClock(open, AFTER_EXPIRY).invoice);
    expect((await repository.findDueForTimeCheck(AFTER_MONITORING, 10)).map((each) => each.id)).toEqual(['processing']);
  });

  it('rejects a limit that is not a positive whole number', async () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await expect(repository.findDueForTimeCheck(AFTER_EXPIRY, limit)).rejects.toThrow(new RangeError('limit must be a positive whole number'));
    }
  });

  it('lists the invoices of an order oldest first, then by id, and only that order', async () => {
    const createdAt = (minutes: number) => ({ createdAt: at(minutes) });
    await repository.create({ ...invoice('z'), ...createdAt(2), orderId: 'order-1' });
    await repository.create({ ...invoice('y'), ...createdAt(1), orderId: 'order-1' });
    await repository.create({ ...invoice('b'), ...createdAt(3), orderId: 'order-1' });
    await repository.create({ ...invoice('a'), ...createdAt(3), orderId: 'order-1' });
    await repository.create({ ...invoice('other'), ...createdAt(0), orderId: 'order-2' });
    expect((await repository.findByOrderId('order-1')).map((each) => each.id)).toEqual(['y', 'z', 'a', 'b']);
  });

  it('orders invoices due at the same moment by id, and earlier ones first whatever their ids', async () => {
    const expiringAt = (id: string, minutes: number) => ({ ...invoice(id), expiresAt: at(minutes) });
    for (const each of [expiringAt('b', 10), expiringAt('a', 10), expiringAt('0-late', 12), expiringAt('z-early', 5)]) await repository.create(each);
    expect((await repository.findDueForTimeCheck(at(20), 10)).map((each) => each.id)).toEqual(['z-early', 'a', 'b', '0-late']);
  });

  it('names the invoice and the version in its errors', async () => {
    const stored = invoice('a');
    await repository.create(stored);
    await expect(repository.update({ ...stored, version: 5 })).rejects.toMatchObject({
      name: 'InvoiceConcurrencyError',
      message: 'invoice a changed since version 4 was read',
    });
    await expect(repository.create(stored)).rejects.toMatchObject({ conflict: 'id', message: 'invoice a already exists' });
    await expect(repository.create(invoice('b', { address: 'addr-a' }))).rejects.toMatchObject({
      name: 'InvoiceAlreadyExistsError',
      conflict: 'address',
      message: "invoice b: another invoice already uses this provider's address",
    });
  });
});
