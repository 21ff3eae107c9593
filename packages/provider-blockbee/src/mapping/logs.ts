import { type CoinDefinition } from '@cryptopay/invoice';
import { type LoggedDelivery, type LoggedTransaction, type LogsResponse } from '../wire/api.js';
import { wireOk as ok, type WireResult } from '@cryptopay/provider-kit';
import { coinUnitsRoundedUp } from './amounts.js';

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
  const amount = transaction.valueCoin === null ? ok(null) : coinUnitsRoundedUp(coin, transaction.valueCoin, 'logs value_coin');
  if (!amount.ok) return amount;
  return ok({
    uuid: transaction.uuid,
    txid: transaction.txidIn,
    amount: amount.value,
    confirmations: transaction.confirmations === null ? null : wholeNumber(transaction.confirmations),
    result: transaction.result,
    acknowledged: transaction.result === 'done',
    deliveries: transaction.deliveries,
  });
}

function wholeNumber(text: string): number | null {
  return /^[0-9]{1,9}$/.test(text) ? Number.parseInt(text, 10) : null;
}
