import { CoinRegistry, MoneyError, parseBaseUnits } from '@cryptopay/invoice';
import { type ReconciledPayment } from '@cryptopay/provider-kit';
import { type HistoryResponse, type HistoryTransaction } from '../wire/history.js';
import { observationKind, type RequiredConfirmations } from './confirmation-rules.js';

const coins = new CoinRegistry();
const TXID = /^[0-9a-fA-F]{64}$/;

/**
 * The payments an address's history shows, as its callbacks would have reported them: a `history`
 * transaction as status 2, a `pending` one as its status (0 or 1) — with its RBF flag unknown, so
 * taken as signalled: an unconfirmed pending payment is `seen`, never counted until it confirms.
 * Transactions that paid nothing into the address (net value ≤ 0: it spent from it) are left out,
 * and so is anything that cannot be read exactly (not a txid, not an integer of base units).
 */
export function toReconciledPayments(coin: string, address: string, response: HistoryResponse, required: RequiredConfirmations): ReconciledPayment[] {
  const payments: ReconciledPayment[] = [];
  const seen = new Set<string>();
  // Confirmed first: a transaction listed in both (as the lists change between reads) is taken as confirmed.
  for (const [transaction, status] of [
    ...response.history.map((entry) => [entry, 2] as const),
    ...response.pending.map((entry) => [entry, pendingStatus(entry)] as const),
  ]) {
    const txid = transaction.txid.toLowerCase();
    if (status === null || !TXID.test(txid) || seen.has(txid) || !paysAddress(transaction, address)) continue;
    const amount = amountOf(coin, transaction.value);
    if (amount === null || amount <= 0n) continue;
    seen.add(txid);
    const rbf = status === 0;
    payments.push({ txid, amount, kind: observationKind(status, rbf, required), confirmations: status, rbf, test: false, address, coin });
  }
  return payments;
}

function pendingStatus(transaction: HistoryTransaction): 0 | 1 | null {
  if (transaction.status === undefined || transaction.status === '0') return 0;
  return transaction.status === '1' ? 1 : null;
}

/** The entry names the address it is about (or names none, as for a one-address query). */
function paysAddress(transaction: HistoryTransaction, address: string): boolean {
  return transaction.addresses.length === 0 || transaction.addresses.includes(address);
}

/** null for what is not a whole number of base units: a negative value (the address paid out) among them. */
function amountOf(coin: string, value: string): bigint | null {
  try {
    return parseBaseUnits(coins.get(coin), value, 'value');
  } catch (error) {
    if (error instanceof MoneyError) return null;
    throw error;
  }
}
