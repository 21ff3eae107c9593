import { randomUUID } from 'node:crypto';
import { type InvoiceIdempotencyKey } from '@cryptopay/invoice';
import { postgresBackend, useMigratedStore } from './support/backends.js';
import { deferred, sessionsWaitingOnLock } from './support/concurrency.js';
import { newInvoice } from './support/invoices.js';

const keyOf = (fingerprint = 'fp-1'): InvoiceIdempotencyKey => ({ caller: 'caller-a', key: `key-${randomUUID()}`, fingerprint });

/** Creating with one key from two instances at once; the single-instance rules are the repository contract's (invoice-repository-contract.spec.ts). */
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
