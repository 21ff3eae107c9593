import { randomInt } from 'node:crypto';
import { randomTxid } from './callbacks.js';
import { type CreatedInvoice, type Fleet } from './fleet.js';

/** How an invoice gets paid, and so what state it must end in. */
export type PaymentKind = 'exact' | 'partial' | 'over' | 'split';

export interface PlannedTransaction {
  readonly txid: string;
  /** Base units. */
  readonly value: bigint;
}

export interface PlannedInvoice {
  readonly invoice: CreatedInvoice;
  readonly kind: PaymentKind;
  readonly transactions: readonly PlannedTransaction[];
  readonly expected: { readonly status: string; readonly exceptionStatus: string | null; readonly amountPaid: bigint };
}

const KINDS: readonly PaymentKind[] = ['exact', 'partial', 'over', 'split'];

/** Every invoice gets a payment plan (cycling through the kinds), with the state its payments imply once all confirm. */
export function planPayments(invoices: readonly CreatedInvoice[], dues: ReadonlyMap<string, bigint>, kinds: readonly PaymentKind[] = KINDS): PlannedInvoice[] {
  return invoices.map((invoice, index) => {
    const due = dues.get(invoice.id);
    if (due === undefined) throw new Error(`no amount due for invoice ${invoice.id}`);
    const kind = kinds[index % kinds.length] as PaymentKind;
    const values = valuesFor(kind, due);
    const amountPaid = values.reduce((sum, value) => sum + value, 0n);
    return {
      invoice,
      kind,
      transactions: values.map((value) => ({ txid: randomTxid(), value })),
      expected: {
        status: kind === 'partial' ? 'new' : 'settled',
        exceptionStatus: kind === 'partial' ? 'paidPartial' : kind === 'over' ? 'paidOver' : null,
        amountPaid,
      },
    };
  });
}

function valuesFor(kind: PaymentKind, due: bigint): bigint[] {
  switch (kind) {
    case 'exact':
      return [due];
    case 'partial':
      return [due / 2n];
    case 'over':
      return [due + 1_000n];
    case 'split':
      return [due - due / 3n, due / 3n];
  }
}

/** One delivery job: `false` when it must wait for another job first (it is put back in the queue). */
export type DeliveryJob = () => Promise<boolean>;

/**
 * The simulators' deliveries for every planned transaction, as separate jobs so they run in any
 * order and copies of one delivery may overlap: Blockonomics statuses 0, 1 and 2, BlockBee's pending
 * and confirmed webhooks, each delivered `copies()` times (BlockBee's pending copies go out in a row:
 * its simulator resends a pending webhook only within the payment call). The simulators retry
 * whatever is not acknowledged.
 */
export function deliveryJobs(fleet: Fleet, plans: readonly PlannedInvoice[], copies: () => number): DeliveryJob[] {
  const { blockonomics, blockbee } = fleet.simulators;
  const times = (count: number, job: DeliveryJob): DeliveryJob[] => Array.from({ length: count }, () => job);
  return plans.flatMap(({ invoice, transactions }) =>
    transactions.flatMap(({ txid, value }): DeliveryJob[] => {
      if (invoice.provider === 'blockonomics') {
        return ([0, 1, 2] as const).flatMap((status) =>
          times(copies(), async () => {
            await blockonomics.pay(invoice.address, value, { txid, statuses: [status] });
            return true;
          }),
        );
      }
      const pendingWebhook: DeliveryJob = async () => {
        await blockbee.pay({ address: invoice.address, valueCoin: coinUnits(value), txid, confirm: false, duplicates: copies() - 1 });
        return true;
      };
      const confirmedWebhook: DeliveryJob = async () => {
        const transaction = blockbee.address(invoice.address)?.transactions.find((candidate) => candidate.txidIn === txid);
        if (!transaction) return false;
        await blockbee.confirm(transaction.uuid);
        return true;
      };
      return [pendingWebhook, ...times(copies(), confirmedWebhook)];
    }),
  );
}

/** Runs the jobs picked at random, `limit` at once, until all are done; then waits for the simulators' scheduled retries. */
export async function deliverInRandomOrder(fleet: Fleet, jobs: readonly DeliveryJob[], limit: number, onProgress?: (done: number) => void): Promise<void> {
  const queue = [...jobs];
  let done = 0;
  const worker = async (): Promise<void> => {
    while (queue.length > 0) {
      const [job] = queue.splice(randomInt(queue.length), 1) as [DeliveryJob];
      if (await job()) onProgress?.((done += 1));
      else queue.push(job);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  await fleet.simulators.blockbee.idle();
}

/** A random whole number of deliveries from 1 to 5. */
export const oneToFive = (): number => randomInt(1, 6);

/** Base units of an 8-decimal coin as an exact decimal string (41667n → "0.00041667"). */
export function coinUnits(units: bigint): string {
  const scale = 100_000_000n;
  return `${units / scale}.${(units % scale).toString().padStart(8, '0')}`;
}
