import { randomUUID } from 'node:crypto';
import { type CallbackDelivery, StoreQueryError } from '../src/index.js';
import { BACKENDS, useMigratedStore } from './support/backends.js';
import { deliveryEntry } from './support/deliveries.js';
import { minutesAfter, NOW } from './support/invoices.js';

describe.each(BACKENDS)('delivery log on %s', (_name, factory) => {
  const { store } = useMigratedStore(factory);

  it('records an entry as given and returns it with its id', async () => {
    const entry = deliveryEntry({
      provider: `p-${randomUUID()}`,
      method: 'POST',
      target: '/v1/callbacks/blockbee?nonce=[redacted]',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-ca-signature': '[redacted]' },
      body: 'value_coin=0.00038988&txid_in=ab12&note=ünïcode "quoted" \\ back',
      verdict: 'rejected',
      reason: 'signature did not verify',
      responseStatus: 401,
      durationMs: 0,
    });

    const recorded = await store().deliveries.record(entry);

    expect(recorded).toEqual({ ...entry, source: 'callback', id: expect.stringMatching(/^[1-9][0-9]*$/) });
    expect((await store().deliveries.list({ provider: entry.provider, limit: 1 })).deliveries).toEqual([recorded]);
  });

  it('records a batch in one statement, in the given order', async () => {
    const provider = `p-${randomUUID()}`;
    const entries = Array.from({ length: 250 }, (_, index) => deliveryEntry({ provider, durationMs: index }));

    await store().deliveries.recordMany(entries);

    const { deliveries } = await store().deliveries.list({ provider, limit: 500 });
    expect(deliveries.map((delivery) => delivery.durationMs)).toEqual(entries.map((entry) => entry.durationMs).reverse());
    expect(deliveries[0]).toEqual({ ...entries.at(-1), source: 'callback', id: expect.stringMatching(/^[1-9][0-9]*$/) });
    await store().deliveries.recordMany([]);
  });

  it('records a batch larger than one statement takes, in the given order', async () => {
    const provider = `p-${randomUUID()}`;
    const entries = Array.from({ length: 1_001 }, (_, index) => deliveryEntry({ provider, durationMs: index }));

    await store().deliveries.recordMany(entries);

    const { deliveries } = await store().deliveries.list({ provider, limit: 2_000 });
    expect(deliveries.map((delivery) => delivery.durationMs)).toEqual(entries.map((entry) => entry.durationMs).reverse());
  });

  it('lists newest first, filtered by provider, verdict and invoice', async () => {
    const provider = `p-${randomUUID()}`;
    const invoiceId = `inv_${randomUUID()}`;
    const applied = await store().deliveries.record(deliveryEntry({ provider, invoiceId, verdict: 'applied' }));
    const duplicate = await store().deliveries.record(
      deliveryEntry({ provider, invoiceId, verdict: 'duplicate', receivedAt: minutesAfter(NOW, 1) }),
    );
    const unmatched = await store().deliveries.record(deliveryEntry({ provider, verdict: 'unmatched', reason: 'no invoice for address' }));
    await store().deliveries.record(deliveryEntry({ provider: `other-${provider}`, invoiceId, verdict: 'retry-later', responseStatus: 503 }));

    const ids = async (query: Parameters<ReturnType<typeof store>['deliveries']['list']>[0]): Promise<string[]> =>
      (await store().deliveries.list(query)).deliveries.map((delivery) => delivery.id);

    expect(await ids({ provider, limit: 10 })).toEqual([unmatched.id, duplicate.id, applied.id]);
    expect(await ids({ provider, verdict: 'duplicate', limit: 10 })).toEqual([duplicate.id]);
    expect(await ids({ provider, invoiceId, limit: 10 })).toEqual([duplicate.id, applied.id]);
    expect(await ids({ invoiceId, verdict: 'retry-later', limit: 10 })).toHaveLength(1);
  });

  it('pages with a cursor until the oldest entry, without gaps or repeats', async () => {
    const provider = `p-${randomUUID()}`;
    const recorded: CallbackDelivery[] = [];
    for (let index = 0; index < 7; index += 1) recorded.push(await store().deliveries.record(deliveryEntry({ provider, durationMs: index })));

    const pages: string[][] = [];
    let before: string | undefined;
    do {
      const page = await store().deliveries.list({ provider, limit: 3, ...(before ? { before } : {}) });
      pages.push(page.deliveries.map((delivery) => delivery.id));
      before = page.nextCursor ?? undefined;
    } while (before);

    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(recorded.map((delivery) => delivery.id).reverse());
  });

  it('says the last page is last even when it is full', async () => {
    const provider = `p-${randomUUID()}`;
    await store().deliveries.record(deliveryEntry({ provider }));
    await store().deliveries.record(deliveryEntry({ provider }));

    expect((await store().deliveries.list({ provider, limit: 2 })).nextCursor).toBeNull();
  });

  it('refuses a bad limit or cursor with a typed error naming the field', async () => {
    await expect(store().deliveries.list({ limit: 0 })).rejects.toEqual(new StoreQueryError('limit', 'limit must be a whole number from 1'));
    await expect(store().deliveries.list({ limit: 2.5 })).rejects.toBeInstanceOf(StoreQueryError);
    await expect(store().deliveries.list({ limit: 10, before: "1 or 1=1" })).rejects.toMatchObject({ field: 'before' });
    await expect(store().deliveries.list({ limit: 10, before: '99999999999999999999' })).rejects.toMatchObject({ field: 'before' });
  });

  it('prunes entries received before a time, oldest first, in batches of the given size', async () => {
    const provider = `p-${randomUUID()}`;
    const at = (iso: string) => new Date(iso);
    const old = [at('2001-01-01T00:00:00Z'), at('2001-01-02T00:00:00Z'), at('2001-01-03T00:00:00Z')];
    const kept = [at('2001-02-01T00:00:00Z'), at('2001-02-02T00:00:00Z')];
    await store().deliveries.recordMany([...kept, ...old].map((receivedAt) => deliveryEntry({ provider, receivedAt })));
    const before = at('2001-01-15T00:00:00Z');

    const receivedOf = async () => (await store().deliveries.list({ provider, limit: 10 })).deliveries.map((delivery) => delivery.receivedAt.toISOString()).sort();
    expect(await store().deliveries.prune(before, 2)).toBe(2);
    expect(await receivedOf()).toEqual([old[2]!, ...kept].map((date) => date.toISOString())); // the two oldest went first
    expect(await store().deliveries.prune(before, 2)).toBe(1);
    expect(await store().deliveries.prune(before, 2)).toBe(0);
    expect(await receivedOf()).toEqual(kept.map((date) => date.toISOString()));
  });
});
