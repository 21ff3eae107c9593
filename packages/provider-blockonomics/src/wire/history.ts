import { asJsonObject, type ExactJson, type ExactJsonObject, jsonField, jsonNumberText, jsonString, wireOk as ok, wireProblem as problem, type WireResult } from '@cryptopay/provider-kit';

/**
 * `POST /api/searchhistory {"addr": "<address>"}` answer: `pending` — transactions seen but not yet
 * final (`status` 0 unconfirmed or 1 one confirmation) — and `history` — those with two or more
 * confirmations. Each carries one *net* `value` in base units across all the queried addresses (we
 * query one address per call, so it is what the transaction paid that address) and no RBF flag.
 */
export interface HistoryResponse {
  readonly pending: readonly HistoryTransaction[];
  readonly history: readonly HistoryTransaction[];
}

export interface HistoryTransaction {
  readonly txid: string;
  /** The addresses of the query this transaction touched. */
  readonly addresses: readonly string[];
  /** Integer base units as the exact JSON text (negative when the addresses paid out). */
  readonly value: string;
  /** Pending entries: `0` or `1`; history entries: none (two or more confirmations). */
  readonly status: string | undefined;
}

export function readHistoryResponse(body: ExactJson): WireResult<HistoryResponse> {
  const object = asJsonObject(body);
  if (!object) return problem('the answer is not a JSON object');
  const pending = transactions(object, 'pending');
  if (!pending.ok) return pending;
  const history = transactions(object, 'history');
  if (!history.ok) return history;
  return ok({ pending: pending.value, history: history.value });
}

/** An absent list is empty (the API leaves out what it has nothing for). */
function transactions(object: ExactJsonObject, name: 'pending' | 'history'): WireResult<HistoryTransaction[]> {
  const list = jsonField(object, name);
  if (list === undefined || list === null) return ok([]);
  if (!Array.isArray(list)) return problem(`"${name}" is not a list`);
  const read: HistoryTransaction[] = [];
  for (const [index, entry] of list.entries()) {
    const transaction = asJsonObject(entry);
    const where = `${name}[${index}]`;
    const txid = transaction && jsonString(jsonField(transaction, 'txid'));
    if (!transaction || !txid) return problem(`${where} has no "txid" string`);
    const value = jsonNumberText(jsonField(transaction, 'value'));
    if (value === undefined) return problem(`${where} has no numeric "value"`);
    const addresses = jsonField(transaction, 'addr');
    const status = jsonNumberText(jsonField(transaction, 'status'));
    read.push({
      txid,
      addresses: Array.isArray(addresses) ? addresses.map((address) => jsonString(address)).filter((address) => address !== undefined) : [],
      value,
      status,
    });
  }
  return ok(read);
}
