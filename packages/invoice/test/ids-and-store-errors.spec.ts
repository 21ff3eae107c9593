import { randomUUID } from 'node:crypto';
import {
  DEFAULT_MERCHANT_ID,
  DuplicatePaymentError,
  InMemoryInvoiceRepository,
  InvoiceAlreadyExistsError,
  InvoiceConcurrencyError,
  isInvoiceId,
  nextTimeCheckAt,
  StoreQueryError,
  StoreUnavailableError,
} from '../src/index.js';
import { openInvoice } from './fixtures.js';

describe('isInvoiceId', () => {
  const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

  it('accepts a lower-case UUID, as randomUUID makes them', () => {
    expect(isInvoiceId(id)).toBe(true);
    expect(isInvoiceId(randomUUID())).toBe(true);
  });

  it.each([
    ['upper case', id.toUpperCase()],
    ['a character before it', `x${id}`],
    ['a character after it', `${id}0`],
    ...[0, 1, 2, 3, 4].flatMap((group): [string, string][] => {
      const groups = id.split('-');
      const spelled = (text: string) => groups.map((each, index) => (index === group ? text : each)).join('-');
      return [
        [`group ${group + 1} one character short`, spelled(groups[group]!.slice(1))],
        [`group ${group + 1} with a non-hex character`, spelled(`g${groups[group]!.slice(1)}`)],
      ];
    }),
  ])('refuses %s', (_name, text) => {
    expect(isInvoiceId(text)).toBe(false);
  });

  it('refuses anything but a string, even one that prints as an id', () => {
    expect(isInvoiceId({ toString: () => id })).toBe(false);
    expect(isInvoiceId(null)).toBe(false);
  });
});

describe('store errors: what an operator reads', () => {
  it('names a stale update, and the version it was based on', async () => {
    const repository = new InMemoryInvoiceRepository();
    const invoice = openInvoice();
    await repository.create(invoice);
    const error = await repository.update({ ...invoice, version: invoice.version + 2 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvoiceConcurrencyError);
    expect([(error as Error).name, (error as Error).message]).toEqual(['InvoiceConcurrencyError', `invoice ${invoice.id} changed since version ${invoice.version + 1} was read`]);
  });

  it('tells a repeated id from an address already in use', async () => {
    const repository = new InMemoryInvoiceRepository();
    const first = openInvoice();
    await repository.create(first);
    const sameId = await repository.create({ ...first, address: 'bc1qanotheraddress' }).catch((caught: unknown) => caught as Error);
    const other = { ...openInvoice(), id: randomUUID() };
    const sameAddress = await repository.create(other).catch((caught: unknown) => caught as Error);
    expect(sameId).toBeInstanceOf(InvoiceAlreadyExistsError);
    expect([sameId?.name, sameId?.message, (sameId as InvoiceAlreadyExistsError).conflict]).toEqual(['InvoiceAlreadyExistsError', `invoice ${first.id} already exists`, 'id']);
    expect([sameAddress?.message, (sameAddress as InvoiceAlreadyExistsError).conflict]).toEqual([`invoice ${other.id}: another invoice already uses this provider's address`, 'address']);
  });

  it('names the errors stores raise, with their messages', () => {
    const cause = new Error('connection reset');
    expect([new DuplicatePaymentError('i-1', { cause })].map((e) => [e.name, e.message, e.cause])).toEqual([
      ['DuplicatePaymentError', 'invoice i-1: the payment ledger already holds this (coin, txid, address); nothing was written', cause],
    ]);
    const unavailable = new StoreUnavailableError('timeout', { cause });
    expect([unavailable.name, unavailable.message, unavailable.cause]).toEqual(['StoreUnavailableError', 'the database is unavailable (timeout); nothing was stored, retry later', cause]);
    const query = new StoreQueryError('limit', 'limit must be 1 to 100');
    expect([query.name, query.field, query.message, query instanceof RangeError]).toEqual(['StoreQueryError', 'limit', 'limit must be 1 to 100', true]);
  });
});

describe('InMemoryInvoiceRepository specifics', () => {
  it('keeps an invoice created without a merchant under the default one', async () => {
    const repository = new InMemoryInvoiceRepository();
    const invoice = openInvoice();
    await repository.create(invoice);
    expect(DEFAULT_MERCHANT_ID).toBe('default');
    expect((await repository.findById(invoice.id))?.merchantId).toBe('default');
  });

  it('finds an invoice due exactly now, and orders invoices due together by id', async () => {
    const repository = new InMemoryInvoiceRepository();
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const [index, id] of ids.entries()) await repository.create({ ...openInvoice(), id, address: `bc1qaddress${index}` });
    const due = nextTimeCheckAt(openInvoice())!;
    expect((await repository.findDueForTimeCheck(due, 10)).map((invoice) => invoice.id)).toEqual([...ids].sort());
    expect(await repository.findDueForTimeCheck(new Date(due.getTime() - 1), 10)).toEqual([]);
  });

  it('refuses a limit below 1, naming it', async () => {
    await expect(new InMemoryInvoiceRepository().findDueForTimeCheck(new Date(), 0)).rejects.toThrow(new RangeError('limit must be a positive whole number'));
  });
});
