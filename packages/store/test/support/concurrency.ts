import { type Invoice } from '@cryptopay/invoice';
import { eventually } from '@cryptopay/test-servers';
import { type Store } from '../../src/index.js';
import { admin } from './backends.js';
import { paid, withPayment } from './invoices.js';

export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/**
 * Waits until `count` of this suite's PostgreSQL sessions are blocked on a lock, so a test knows the
 * interleaving it arranged really happened. Polls a bounded number of times.
 */
export async function sessionsWaitingOnLock(applicationName: string, count = 1): Promise<void> {
  const waiting = async () => {
    const [row] = await admin<{ waiting: number }>(
      `select count(*)::int as waiting from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'`,
      [applicationName],
    );
    return (row?.waiting ?? 0) >= count;
  };
  await eventually(waiting, `${count} session(s) of ${applicationName} to wait on a lock`, { tries: 400, intervalMs: 25 });
}

export interface PausedCallback {
  /** Lets the paused transaction add its payment and commit; resolves once it has. */
  proceed(): Promise<void>;
}

/**
 * A callback's transaction that locks the invoice row, then pauses holding the lock until
 * `proceed()`: adds a payment of `amount` and commits. Resolves once the lock is held.
 */
export async function pausedCallback(store: Store, invoice: Invoice, amount: bigint): Promise<PausedCallback> {
  const locked = deferred();
  const release = deferred();
  const done = store.transaction(async (tx) => {
    const current = await tx.invoices.findByIdForUpdate(invoice.id);
    locked.resolve();
    await release.promise;
    await tx.invoices.update(withPayment(current!, paid(invoice, amount)));
  });
  await Promise.race([locked.promise, done]);
  return {
    proceed: async () => {
      release.resolve();
      await done;
    },
  };
}
