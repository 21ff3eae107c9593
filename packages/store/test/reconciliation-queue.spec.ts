import { type Invoice } from '@cryptopay/invoice';
import { type Store } from '../src/index.js';
import { BACKENDS, postgresBackend, useMigratedStore } from './support/backends.js';
import { minutesAfter, newInvoice, NOW } from './support/invoices.js';

/** Claims lease an invoice for five minutes after the claim. */
const leaseAfter = (now: Date) => minutesAfter(now, 5);

async function scheduled(store: Store, count: number, at: (index: number) => Date | null): Promise<Invoice[]> {
  const invoices = Array.from({ length: count }, () => newInvoice());
  for (const [index, invoice] of invoices.entries()) await store.invoices.create(invoice, { reconcileAt: at(index) });
  return invoices;
}

/** One reconciler instance: claims small batches until nothing is due. */
async function claimAll(store: Store, now: Date): Promise<string[]> {
  const claimed: string[] = [];
  for (;;) {
    const batch = await store.reconciliations.claimDue(now, 3, leaseAfter(now));
    if (batch.length === 0) return claimed;
    claimed.push(...batch.map((invoice) => invoice.id));
  }
}

describe.each(BACKENDS)('reconciliation queue on %s', (_name, factory) => {
  const { store } = useMigratedStore(factory);

  it('stores the first reconciliation with the invoice, and none when asked for none', async () => {
    const [first, never] = await scheduled(store(), 2, (index) => (index === 0 ? minutesAfter(NOW, 2) : null));
    expect(await store().reconciliations.nextAt(first!.id)).toEqual(minutesAfter(NOW, 2));
    expect(await store().reconciliations.nextAt(never!.id)).toBeNull();
  });

  it('claims only what is due, leases it, and hands it out once until the lease ends', async () => {
    const now = minutesAfter(NOW, 10_000);
    const [due, later] = await scheduled(store(), 2, (index) => minutesAfter(now, index === 0 ? -1 : 1));
    const claimed = await store().reconciliations.claimDue(now, 100, leaseAfter(now));
    expect(claimed.map((invoice) => invoice.id)).toContain(due!.id);
    expect(claimed.map((invoice) => invoice.id)).not.toContain(later!.id);
    expect(claimed.find((invoice) => invoice.id === due!.id)?.address).toBe(due!.address);
    expect(await store().reconciliations.nextAt(due!.id)).toEqual(leaseAfter(now));
    const again = await store().reconciliations.claimDue(now, 100, leaseAfter(now));
    expect(again.map((invoice) => invoice.id)).not.toContain(due!.id);
  });

  it('brings one invoice forward, never one that is due sooner or never due', async () => {
    const [one, sooner, never] = await scheduled(store(), 3, (index) => [minutesAfter(NOW, 300), minutesAfter(NOW, 1), null][index] ?? null);
    const at = minutesAfter(NOW, 5);
    for (const invoice of [one!, sooner!, never!]) await store().reconciliations.bringForward(invoice.id, at);
    expect(await store().reconciliations.nextAt(one!.id)).toEqual(at);
    expect(await store().reconciliations.nextAt(sooner!.id)).toEqual(minutesAfter(NOW, 1));
    expect(await store().reconciliations.nextAt(never!.id)).toBeNull();
  });

  it('brings every scheduled invoice forward after an outage, and schedules or stops one', async () => {
    const invoices = await scheduled(store(), 3, (index) => minutesAfter(NOW, 500 + index));
    const at = minutesAfter(NOW, 400);
    expect(await store().reconciliations.bringAllForward(at)).toBeGreaterThanOrEqual(3);
    for (const invoice of invoices) expect(await store().reconciliations.nextAt(invoice.id)).toEqual(at);
    await store().reconciliations.schedule(invoices[0]!.id, null);
    expect(await store().reconciliations.nextAt(invoices[0]!.id)).toBeNull();
  });
});

describe('reconciliation claims on PostgreSQL', () => {
  const { backend, store } = useMigratedStore(postgresBackend);

  it('has concurrent reconcilers claim every due invoice exactly once (SKIP LOCKED)', async () => {
    const now = minutesAfter(NOW, 20_000);
    const invoices = await scheduled(store(), 20, (index) => minutesAfter(now, -index - 1));
    const other = await backend.open();
    const [mine, theirs] = await Promise.all([claimAll(store(), now), claimAll(other, now)]);
    expect([...mine, ...theirs].sort()).toEqual(invoices.map((invoice) => invoice.id).sort());
  });
});
