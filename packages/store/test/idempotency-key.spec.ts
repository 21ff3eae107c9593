import { randomUUID } from 'node:crypto';
import { type InvoiceIdempotencyKey } from '../src/index.js';
import { BACKENDS, postgresBackend, useMigratedStore } from './support/backends.js';
import { deferred, sessionsWaitingOnLock } from './support/concurrency.js';
import { newInvoice } from './support/invoices.js';

const keyOf = (fingerprint = 'fp-1'): InvoiceIdempotencyKey => ({ caller: 'caller-a', key: `key-${randomUUID()}`, fingerprint });

/** An invoice's Idempotency-Key is kept with it: the durable guard behind Redis. */
describe.each(BACKENDS)('invoices created with an Idempotency-Key on %s', (_name, factory) => {
  const { store } = useMigratedStore(factory);

  it('creates one invoice per caller and key: a second creation writes nothing and returns the first, with its fingerprint', async () => {
    const key = keyOf();
    const first = newInvoice();
    expect(await store().invoices.createOnce(first, { minimumPayment: 8_000n }, key)).toBeNull();

    const second = newInvoice();
    const holder = await store().invoices.createOnce(second, {}, { ...key, fingerprint: 'fp-other' });

    expect(holder).toEqual({ invoice: { ...first, minimumPayment: 8_000n }, fingerprint: 'fp-1' });
    expect(await store().invoices.findById(second.id)).toBeNull();
    expect(await store().invoices.findByIdempotencyKey(key.caller, key.key)).toEqual(holder);
  });

  it('keeps the keys of different callers apart, and finds nothing for an unused key', async () => {
    const key = keyOf();
    const mine = newInvoice();
    const theirs = newInvoice();
    await store().invoices.createOnce(mine, {}, key);
    expect(await store().invoices.createOnce(theirs, {}, { ...key, caller: 'caller-b' })).toBeNull();
    expect((await store().invoices.findByIdempotencyKey('caller-b', key.key))?.invoice.id).toBe(theirs.id);
    expect(await store().invoices.findByIdempotencyKey('caller-a', 'never-used')).toBeNull();
  });

  it('still refuses a second invoice for the same address, key or not', async () => {
    const first = newInvoice();
    await store().invoices.createOnce(first, {}, keyOf());
    await expect(store().invoices.createOnce({ ...newInvoice(), address: first.address }, {}, keyOf())).rejects.toMatchObject({ name: 'InvoiceAlreadyExistsError' });
  });
});

describe('two instances creating with one Idempotency-Key at once (PostgreSQL)', () => {
  const { backend, store } = useMigratedStore(postgresBackend);

  it('the second waits for the first to commit, writes nothing and returns the first', async () => {
    const other = await backend.open({ applicationName: `${backend.applicationName}_b` });
    const key = keyOf();
    const winner = newInvoice();
    const loser = newInvoice();
    const release = deferred();
    const inserted = deferred();
    // The first instance has inserted its invoice and not committed yet.
    const first = store().transaction(async (tx) => {
      const created = await tx.invoices.createOnce(winner, {}, key);
      inserted.resolve();
      await release.promise;
      return created;
    });
    await inserted.promise;
    const second = other.invoices.createOnce(loser, {}, { ...key, fingerprint: 'fp-2' });
    await sessionsWaitingOnLock(`${backend.applicationName}_b`);
    release.resolve();

    expect(await first).toBeNull();
    expect((await second)?.invoice.id).toBe(winner.id);
    expect(await other.invoices.findById(loser.id)).toBeNull();
  });
});
