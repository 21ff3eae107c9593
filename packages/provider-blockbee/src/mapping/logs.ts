import { type CoinDefinition } from '@cryptopay/invoice';
import { type LoggedDelivery, type LogsResponse } from '../wire/api.js';
import { coinUnitsRoundedUp } from './payment-request.js';

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

export function toReconciliation(coin: CoinDefinition, logs: LogsResponse): BlockBeeLogs {
  return {
    address: logs.addressIn,
    transactions: logs.transactions.map((transaction) => ({
      uuid: transaction.uuid,
      txid: transaction.txidIn,
      amount: transaction.valueCoin === null ? null : coinUnitsRoundedUp(coin, transaction.valueCoin, 'logs value_coin'),
      confirmations: transaction.confirmations === null ? null : wholeNumber(transaction.confirmations),
      result: transaction.result,
      acknowledged: transaction.result === 'done',
      deliveries: transaction.deliveries,
    })),
  };
}

function wholeNumber(text: string): number | null {
  return /^[0-9]{1,9}$/.test(text) ? Number.parseInt(text, 10) : null;
}
