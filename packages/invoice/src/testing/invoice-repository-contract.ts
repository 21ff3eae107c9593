import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { applyClock } from '../invoice/apply.js';
import { type Invoice } from '../invoice/invoice.js';
import { InvoiceAlreadyExistsError, InvoiceConcurrencyError } from '../invoice/repository-errors.js';
import { DEFAULT_MERCHANT_ID, type InvoiceIdempotencyKey, type InvoiceRepository, type StoredInvoice } from '../invoice/repository.js';
import { CONTRACT_NOW, contractInvoice, minutesAfter, paidInvoice } from './contract-invoices.js';

/**
 * One behaviour every {@link InvoiceRepository} must have. A case throws (node:assert) when the
 * repository breaks it, so any test runner can run it: `it.each(INVOICE_REPOSITORY_CONTRACT)('$name',
 * ({ check }) => check(repository))`. Cases create invoices of their own and can share one store.
 */
export interface ContractCase {
  readonly name: string;
  check(repository: InvoiceRepository): Promise<void>;
}

const TWO_POW_70 = 2n ** 70n;

/** As a store reads a stored invoice back. */
function stored(invoice: Invoice, minimumPayment: bigint | null = null, redirectUrl: string | null = null, merchantId = DEFAULT_MERCHANT_ID, providerAccountId: string | null = null): StoredInvoice {
  return { ...invoice, minimumPayment, redirectUrl, merchantId, providerAccountId };
}

function keyOf(fingerprint = 'fp-1'): InvoiceIdempotencyKey {
  return { caller: 'caller-a', key: `key-${randomUUID()}`, fingerprint };
}

/**
 * The value as plain, comparable data: types kept apart (1n is not 1, a Date is its instant), but
 * not which realm built an object (a store's driver, `structuredClone`), which strict equality checks.
 */
function canonical(value: unknown): unknown {
  if (typeof value === 'bigint') return { bigint: value.toString() };
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') return { date: (value as Date).toISOString() };
  if (Array.isArray(value)) return Array.from(value as unknown[], canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([key, each]) => [key, canonical(each)]));
  }
  return value;
}

function same(actual: unknown, expected: unknown, message?: string): void {
  assert.deepEqual(canonical(actual), canonical(expected), message);
}

const isAlreadyExists = (id: string, conflict: 'id' | 'address') => (error: unknown) =>
  error instanceof InvoiceAlreadyExistsError && error.invoiceId === id && error.conflict === conflict;

const isConcurrency = (id: string, expectedVersion: number) => (error: unknown) =>
  error instanceof InvoiceConcurrencyError && error.invoiceId === id && error.expectedVersion === expectedVersion;

export const INVOICE_REPOSITORY_CONTRACT: readonly ContractCase[] = [
  {
    name: 'stores an invoice with its payments and reads it back exactly, as a copy',
    async check(repository) {
      const created = contractInvoice({ coin: 'ETH', amountDue: TWO_POW_70, providerReference: 'ref-42', metadata: { cart: [{ price: '0.10' }], none: null } });
      const invoice = paidInvoice(created, TWO_POW_70 - 1n, { kind: 'confirmed', confirmations: 12 });
      await repository.create(invoice);
      const read = await repository.findById(invoice.id);
      same(read, stored(invoice));
      assert.equal(read?.payments[0]?.amount, TWO_POW_70 - 1n);
      (read as { status: string }).status = 'invalid';
      assert.equal((await repository.findById(invoice.id))?.status, invoice.status);
      assert.equal(await repository.findById(randomUUID()), null);
    },
  },
  {
    name: 'keeps the minimum payment and redirect URL given at creation, and no update changes them',
    async check(repository) {
      const created = contractInvoice();
      await repository.create(created, { minimumPayment: TWO_POW_70 + 1n, redirectUrl: 'https://shop.example/orders/7?paid=1' });
      const updated = paidInvoice(created, 1n);
      await repository.update(updated);
      same(await repository.findById(created.id), stored(updated, TWO_POW_70 + 1n, 'https://shop.example/orders/7?paid=1'));
    },
  },
  {
    name: 'finds by order id, oldest first, and by provider and address',
    async check(repository) {
      const first = contractInvoice({}, CONTRACT_NOW);
      const second = contractInvoice({ orderId: first.orderId }, minutesAfter(CONTRACT_NOW, 1));
      await repository.create(second);
      await repository.create(first);
      same((await repository.findByOrderId(first.orderId)).map((invoice) => invoice.id), [first.id, second.id]);
      same(await repository.findByAddress('blockonomics', second.address), stored(second));
      assert.equal(await repository.findByAddress('blockbee', second.address), null);
      same(await repository.findByOrderId(`order-${randomUUID()}`), []);
    },
  },
  {
    name: 'refuses a second invoice with the same id, or the same address at the same provider, and writes nothing of it',
    async check(repository) {
      const invoice = contractInvoice();
      await repository.create(invoice);
      await assert.rejects(repository.create({ ...contractInvoice(), id: invoice.id }), isAlreadyExists(invoice.id, 'id'));
      const sameAddress = contractInvoice({ address: invoice.address });
      await assert.rejects(repository.create(sameAddress), isAlreadyExists(sameAddress.id, 'address'));
      assert.equal(await repository.findById(sameAddress.id), null);
      const otherProvider = contractInvoice({ address: invoice.address, provider: 'blockbee' });
      await repository.create(otherProvider);
      assert.equal((await repository.findByAddress('blockbee', invoice.address))?.id, otherProvider.id);
    },
  },
  {
    name: "keeps each invoice's merchant and provider account; an address is unique per account, and found only within it",
    async check(repository) {
      const accountA = `pa_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
      const accountB = `pa_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
      const first = contractInvoice();
      await repository.create(first, { merchantId: 'mer_contract_a', providerAccountId: accountA });
      const sameAddress = contractInvoice({ address: first.address });
      await repository.create(sameAddress, { merchantId: 'mer_contract_b', providerAccountId: accountB });
      await assert.rejects(repository.create(contractInvoice({ address: first.address }), { providerAccountId: accountA }), (error) => error instanceof InvoiceAlreadyExistsError);
      same(await repository.findByAddress('blockonomics', first.address, accountA), stored(first, null, null, 'mer_contract_a', accountA));
      same((await repository.findByAddress('blockonomics', first.address, accountB))?.id, sameAddress.id);
      assert.equal(await repository.findByAddress('blockonomics', first.address), null);
      const next = { ...first, status: 'expired' as const, version: first.version + 1 };
      await repository.update(next, { previous: first });
      same(await repository.findById(first.id), stored(next, null, null, 'mer_contract_a', accountA));
    },
  },
  {
    name: 'updates only from the stored version: of two writers from one version, the second must re-read',
    async check(repository) {
      const invoice = contractInvoice();
      await repository.create(invoice);
      const [first, second] = [paidInvoice(invoice, 1000n), paidInvoice(invoice, 2000n)];
      await repository.update(first);
      await assert.rejects(repository.update(second), isConcurrency(invoice.id, 1));
      const reread = await repository.findById(invoice.id);
      assert.ok(reread);
      const both = paidInvoice(reread, 2000n);
      await repository.update(both, { previous: reread });
      const final = await repository.findById(invoice.id);
      assert.equal(final?.version, 3);
      same(final?.payments.map((payment) => payment.amount), [1000n, 2000n]);
    },
  },
  {
    name: 'refuses an update that skips a version, or of an invoice never stored, and writes nothing',
    async check(repository) {
      const invoice = contractInvoice();
      await repository.create(invoice);
      await assert.rejects(repository.update({ ...paidInvoice(invoice, 1n), version: 3 }), isConcurrency(invoice.id, 2));
      await assert.rejects(repository.update(invoice), isConcurrency(invoice.id, 0));
      same(await repository.findById(invoice.id), stored(invoice));
      const never = contractInvoice();
      await assert.rejects(repository.update(paidInvoice(never, 1n)), isConcurrency(never.id, 1));
      assert.equal(await repository.findById(never.id), null);
    },
  },
  {
    name: 'updates a payment in place and keeps the ledger in the order it was recorded',
    async check(repository) {
      const invoice = contractInvoice();
      await repository.create(invoice);
      const withFirst = paidInvoice(invoice, 20000n);
      const withBoth = paidInvoice(withFirst, 18988n);
      const [payment] = withFirst.payments;
      assert.ok(payment);
      const confirmed = paidInvoice(withBoth, payment.amount, { txid: payment.txid, kind: 'confirmed', confirmations: 1 });
      await repository.update(withFirst, { previous: invoice });
      await repository.update(withBoth);
      await repository.update(confirmed, { previous: withBoth });
      const read = await repository.findById(invoice.id);
      same(read, stored(confirmed));
      same(read?.payments.map((each) => each.state), ['confirmed', 'pending']);
    },
  },
  {
    name: 'creates once per caller and idempotency key: a second creation writes nothing and returns the first, with its fingerprint',
    async check(repository) {
      const key = keyOf();
      const first = contractInvoice();
      assert.equal(await repository.createOnce(first, { minimumPayment: 8_000n }, key), null);
      const second = contractInvoice();
      const holder = await repository.createOnce(second, {}, { ...key, fingerprint: 'fp-other' });
      same(holder, { invoice: stored(first, 8_000n), fingerprint: 'fp-1' });
      assert.equal(await repository.findById(second.id), null);
      same(await repository.findByIdempotencyKey(key.caller, key.key), holder);
    },
  },
  {
    name: 'keeps the keys of different callers apart, finds nothing for an unused key, and still refuses a reused address',
    async check(repository) {
      const key = keyOf();
      const [mine, theirs] = [contractInvoice(), contractInvoice()];
      await repository.createOnce(mine, {}, key);
      assert.equal(await repository.createOnce(theirs, {}, { ...key, caller: 'caller-b' }), null);
      assert.equal((await repository.findByIdempotencyKey('caller-b', key.key))?.invoice.id, theirs.id);
      assert.equal(await repository.findByIdempotencyKey('caller-a', `never-${randomUUID()}`), null);
      const sameAddress = contractInvoice({ address: mine.address });
      await assert.rejects(repository.createOnce(sameAddress, {}, keyOf()), isAlreadyExists(sameAddress.id, 'address'));
    },
  },
  {
    name: 'lists the invoices due for a time check, soonest first, up to the limit, and drops one once the clock has acted',
    async check(repository) {
      // Long before every other case's invoices, so only these can be due.
      const epoch = new Date('2001-01-01T00:00:00.000Z');
      const later = contractInvoice({}, minutesAfter(epoch, 5));
      const sooner = contractInvoice({}, epoch);
      const notDue = contractInvoice({}, minutesAfter(epoch, 60));
      for (const invoice of [later, sooner, notDue]) await repository.create(invoice);
      const sweepAt = minutesAfter(epoch, 21);
      const ids = async (limit: number) => (await repository.findDueForTimeCheck(sweepAt, limit)).map((invoice) => invoice.id);
      same(await ids(10), [sooner.id, later.id]);
      same(await ids(1), [sooner.id]);
      await repository.update(applyClock(sooner, sweepAt).invoice);
      same(await ids(10), [later.id]);
      same(await repository.findDueForTimeCheck(minutesAfter(epoch, 10), 10), []);
    },
  },
  {
    name: 'refuses a time-check limit that is not a positive whole number',
    async check(repository) {
      await assert.rejects(repository.findDueForTimeCheck(CONTRACT_NOW, 0), RangeError);
      await assert.rejects(repository.findDueForTimeCheck(CONTRACT_NOW, 1.5), RangeError);
    },
  },
];
