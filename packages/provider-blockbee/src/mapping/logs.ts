import { type CoinDefinition } from '@cryptopay/invoice';
import { type LoggedDelivery, type LoggedTransaction, type LogsResponse } from '../wire/api.js';
import { type ReconciledPayment, wireOk as ok, type WireResult } from '@cryptopay/provider-kit';
import { paidCoinUnits } from './amounts.js';

/** One transaction BlockBee saw on an invoice's address, and how its webhooks fared. */
export interface ReconciledTransaction {
  readonly uuid: string | null;
  readonly txid: string;
  /** Base units of the invoice's coin, when BlockBee reports the value. */
  readonly amount: bigint | null;
  readonly confirmations: number | null;
  /** `pending`, `sent` (forwarded, not acknowledged with `*ok*`) or `done` (acknowledged). */
  readonly result: string;
  /** Whether our endpoint acknowledged it; `false` means callbacks are not getting through. */
  readonly acknowledged: boolean;
  /** A sandbox test payment (the simulator's mark). */
  readonly test: boolean;
  readonly deliveries: readonly LoggedDelivery[];
}

export interface BlockBeeLogs {
  readonly address: string;
  readonly transactions: readonly ReconciledTransaction[];
}

/** What BlockBee's logs say about an invoice's address, amounts in the invoice coin's base units. */
export function toReconciliation(coin: CoinDefinition, logs: LogsResponse): WireResult<BlockBeeLogs> {
  const transactions: ReconciledTransaction[] = [];
  for (const transaction of logs.transactions) {
    const reconciled = toReconciledTransaction(coin, transaction);
    if (!reconciled.ok) return reconciled;
    transactions.push(reconciled.value);
  }
  return ok({ address: logs.addressIn, transactions });
}

function toReconciledTransaction(coin: CoinDefinition, transaction: LoggedTransaction): WireResult<ReconciledTransaction> {
  const amount = transaction.valueCoin === null ? ok(null) : paidCoinUnits(coin, transaction.valueCoin, 'logs value_coin');
  if (!amount.ok) return amount;
  return ok({
    uuid: transaction.uuid,
    txid: transaction.txidIn,
    amount: amount.value,
    confirmations: transaction.confirmations === null ? null : wholeNumber(transaction.confirmations),
    result: transaction.result,
    acknowledged: transaction.result === 'done',
    test: transaction.test,
    deliveries: transaction.deliveries,
  });
}

function wholeNumber(text: string): number | null {
  return /^[0-9]{1,9}$/.test(text) ? Number.parseInt(text, 10) : null;
}

/**
 * The payments BlockBee's logs show, as their webhooks would have reported them: a transaction still
 * `pending` as the pending webhook (`seen`), one BlockBee forwarded (`sent`, `done`) as the confirmed
 * one. Amounts are `value_coin` read as the webhooks' are (rounded down to the coin's decimals); an
 * entry without one is left out, as the pending webhook without it is ignored, and so is a sandbox
 * test payment while test payments are not allowed.
 */
export function toReconciledPayments(coin: CoinDefinition, logs: BlockBeeLogs, allowTestPayments: boolean): ReconciledPayment[] {
  const payments: ReconciledPayment[] = [];
  for (const transaction of logs.transactions) {
    if (transaction.amount === null || (transaction.test && !allowTestPayments)) continue;
    const pending = transaction.result === 'pending';
    payments.push({
      txid: transaction.txid,
      amount: transaction.amount,
      kind: pending ? 'seen' : 'confirmed',
      confirmations: pending ? 0 : transaction.confirmations,
      rbf: false,
      test: transaction.test,
      address: logs.address,
      coin: coin.code,
    });
  }
  return payments;
}
