import { applyClock, type Invoice } from '@cryptopay/invoice';
import { type Store } from '../src/index.js';
import { BACKENDS, postgresBackend, useMigratedStore } from './support/backends.js';
import { deferred } from './support/concurrency.js';
import { minutesAfter, newInvoice, NOW } from './support/invoices.js';

const SWEEP_AT = minutesAfter(NOW, 30);

async function createDue(store: Store, count: number): Promise<Invoice[]> {
  const invoices = Array.from({ length: count }, (_, index) => newInvoice({}, minutesAfter(NOW, -index)));
  for (const invoice of invoices) await store.invoices.create(invoice);
  return invoices;
}

/** One sweeper instance: claims small batches and applies the clock until nothing is due. */
async function sweep(store: Store): Promise<string[]> {
  const claimed: string[] = [];
  for (;;) {
    const batch = await store.transaction(async (tx) => {
      const due = await tx.invoices.claimDueForTimeCheck(SWEEP_AT, 3);
      for (const invoice of due) await tx.invoices.update(applyClock(invoice, SWEEP_AT).invoice);
      return due.map((invoice) => invoice.id);
    });
    if (batch.length === 0) return claimed;
    claimed.push(...batch);
  }
}

describe.each(BACKENDS)('expiry sweep on %s', (_name, factory) => {
  const { backend, store } = useMigratedStore(factory);

  it('has concurrent sweepers process every due invoice exactly once', async () => {
    const invoices = await createDue(store(), 20);
    const other = await backend.open();

    const [mine, theirs] = await Promise.all([sweep(store()), sweep(other)]);

    expect([...mine, ...theirs].sort()).toEqual(invoices.map((invoice) => invoice.id).sort());
    for (const invoice of invoices) expect((await store().invoices.findById(invoice.id))?.status).toBe('expired');
  });
});

describe('expiry sweep on postgres, a sweeper holding its claim', () => {
  const { store, backend } = useMigratedStore(postgresBackend);

  it('is skipped by the other sweeper (SKIP LOCKED): disjoint claims, and no waiting', async () => {
    const invoices = await createDue(store(), 6);
    // A sweeper that waited on the held rows would run into this bound instead of returning.
    const other = await backend.open({ statementTimeoutMs: 2_000 });
    const firstClaimed = deferred<string[]>();
    const release = deferred();

    const first = store().transaction(async (tx) => {
      firstClaimed.resolve((await tx.invoices.claimDueForTimeCheck(SWEEP_AT, 3)).map((invoice) => invoice.id));
      await release.promise;
    });
    const held = await firstClaimed.promise;
    const rest = await other.transaction(async (tx) => (await tx.invoices.claimDueForTimeCheck(SWEEP_AT, 10)).map((invoice) => invoice.id));
    release.resolve();
    await first;

    expect(held).toHaveLength(3);
    expect(rest).toHaveLength(3);
    expect([...held, ...rest].sort()).toEqual(invoices.map((invoice) => invoice.id).sort());
  });
});
