import {
  asJsonObject,
  type ExactJson,
  type ExactJsonObject,
  jsonDecimalText,
  jsonField,
  jsonString,
} from '@cryptopay/provider-kit';
import { wireOk as ok, wireProblem as problem, type WireResult } from '@cryptopay/provider-kit';

/** `GET /{ticker}/create/` */
export interface CreateAddressResponse {
  readonly addressIn: string;
  readonly callbackUrl: string;
  /** Decimal text in coin units, when BlockBee includes it. */
  readonly minimumTransactionCoin: string | null;
}

/** `GET /{ticker}/convert/?value&from`; `exchangeRate` is coin per unit of `from` (value × rate = value_coin). */
export interface ConvertResponse {
  readonly valueCoin: string;
  readonly exchangeRate: string;
}

/** `GET /{ticker}/info/?prices=1` */
export interface CoinInfoResponse {
  /** Smaller transactions are not forwarded: the funds are lost, so the payer must be told. */
  readonly minimumTransactionCoin: string;
  /** The fiat currencies BlockBee prices the coin in (the keys of `prices`), or null when it sent none. */
  readonly fiatCurrencies: readonly string[] | null;
}

/** `GET /{ticker}/logs/?callback` — what BlockBee saw and delivered for one callback URL. */
export interface LogsResponse {
  readonly callbackUrl: string;
  readonly addressIn: string;
  readonly transactions: readonly LoggedTransaction[];
}

export interface LoggedTransaction {
  readonly uuid: string | null;
  readonly txidIn: string;
  /** Decimal text in coin units. */
  readonly valueCoin: string | null;
  readonly confirmations: string | null;
  /** `pending`; `sent` = forwarded but no `*ok*` yet; `done` = `*ok*` received. */
  readonly result: string;
  /** The last delivery attempts, oldest first. */
  readonly deliveries: readonly LoggedDelivery[];
  /** The simulator's mark on a sandbox test payment (`cryptopay_test: 1`, as on its webhooks); BlockBee never sends it. */
  readonly test: boolean;
}

export interface LoggedDelivery {
  /** The exact URL BlockBee requested (GET mode): replayable through the normal callback path. */
  readonly requestUrl: string | null;
  readonly responseStatus: string | null;
  readonly response: string | null;
  readonly timestamp: string | null;
  readonly nextTry: string | null;
}

/** BlockBee's error envelope `{"status":"error","error":"…"}`, or null when the body is not one. */
export function readErrorEnvelope(body: ExactJson): string | null {
  const object = asJsonObject(body);
  if (!object || jsonString(jsonField(object, 'status')) !== 'error') return null;
  return jsonString(jsonField(object, 'error')) ?? 'no error message';
}

export function readCreateAddress(body: ExactJson): WireResult<CreateAddressResponse> {
  const object = success(body);
  if (!object.ok) return object;
  const addressIn = requiredString(object.value, 'address_in');
  if (!addressIn.ok) return addressIn;
  const callbackUrl = requiredString(object.value, 'callback_url');
  if (!callbackUrl.ok) return callbackUrl;
  return ok({ addressIn: addressIn.value, callbackUrl: callbackUrl.value, minimumTransactionCoin: optionalDecimal(object.value, 'minimum_transaction_coin') });
}

export function readConvert(body: ExactJson): WireResult<ConvertResponse> {
  const object = success(body);
  if (!object.ok) return object;
  const valueCoin = requiredDecimal(object.value, 'value_coin');
  if (!valueCoin.ok) return valueCoin;
  const exchangeRate = requiredDecimal(object.value, 'exchange_rate');
  if (!exchangeRate.ok) return exchangeRate;
  return ok({ valueCoin: valueCoin.value, exchangeRate: exchangeRate.value });
}

export function readCoinInfo(body: ExactJson): WireResult<CoinInfoResponse> {
  const object = success(body);
  if (!object.ok) return object;
  const minimum = requiredDecimal(object.value, 'minimum_transaction_coin');
  return minimum.ok ? ok({ minimumTransactionCoin: minimum.value, fiatCurrencies: fiatCurrencies(jsonField(object.value, 'prices')) }) : minimum;
}

/** The currency codes of `prices` (`{"USD": "64000.00", …}`); anything else there is ignored. */
function fiatCurrencies(prices: ExactJson | undefined): readonly string[] | null {
  const object = asJsonObject(prices);
  return object ? Object.keys(object).filter((code) => /^[A-Z]{3}$/.test(code)).sort() : null;
}

export function readPublicKey(body: ExactJson): WireResult<string> {
  const object = success(body);
  return object.ok ? requiredString(object.value, 'pubkey') : object;
}

export function readLogs(body: ExactJson): WireResult<LogsResponse> {
  const object = success(body);
  if (!object.ok) return object;
  const callbackUrl = requiredString(object.value, 'callback_url');
  if (!callbackUrl.ok) return callbackUrl;
  const addressIn = requiredString(object.value, 'address_in');
  if (!addressIn.ok) return addressIn;
  const transactions = list(jsonField(object.value, 'callbacks'), 'callbacks', loggedTransaction);
  if (!transactions.ok) return transactions;
  return ok({ callbackUrl: callbackUrl.value, addressIn: addressIn.value, transactions: transactions.value });
}

function loggedTransaction(entry: ExactJson, path: string): WireResult<LoggedTransaction> {
  const object = asJsonObject(entry);
  if (!object) return problem(`${path} is not an object`);
  const txidIn = requiredString(object, 'txid_in', path);
  if (!txidIn.ok) return txidIn;
  const result = requiredString(object, 'result', path);
  if (!result.ok) return result;
  const deliveries = list(jsonField(object, 'logs'), `${path}.logs`, loggedDelivery);
  if (!deliveries.ok) return deliveries;
  return ok({
    uuid: jsonString(jsonField(object, 'uuid')) ?? null,
    txidIn: txidIn.value,
    valueCoin: optionalDecimal(object, 'value_coin'),
    confirmations: optionalDecimal(object, 'confirmations'),
    result: result.value,
    deliveries: deliveries.value,
    test: jsonDecimalText(jsonField(object, 'cryptopay_test')) === '1',
  });
}

function loggedDelivery(entry: ExactJson, path: string): WireResult<LoggedDelivery> {
  const object = asJsonObject(entry);
  if (!object) return problem(`${path} is not an object`);
  return ok({
    requestUrl: jsonString(jsonField(object, 'request_url')) ?? null,
    responseStatus: optionalDecimal(object, 'response_status'),
    response: jsonString(jsonField(object, 'response')) ?? null,
    timestamp: jsonString(jsonField(object, 'timestamp')) ?? null,
    nextTry: jsonString(jsonField(object, 'next_try')) ?? null,
  });
}

/** Each entry of an optional JSON list (absent = empty), or the first entry's problem. */
function list<T>(value: ExactJson | undefined, path: string, read: (entry: ExactJson, path: string) => WireResult<T>): WireResult<T[]> {
  if (value === undefined) return ok([]);
  if (!Array.isArray(value)) return problem(`${path} is not a list`);
  const entries: T[] = [];
  for (const [index, entry] of value.entries()) {
    const item = read(entry, `${path}[${index}]`);
    if (!item.ok) return item;
    entries.push(item.value);
  }
  return ok(entries);
}

function success(body: ExactJson): WireResult<ExactJsonObject> {
  const object = asJsonObject(body);
  if (!object) return problem('the body is not a JSON object');
  const status = jsonString(jsonField(object, 'status'));
  if (status !== 'success') return problem(`status is ${status === undefined ? 'missing' : JSON.stringify(status)}, not "success"`);
  return ok(object);
}

function requiredString(object: ExactJsonObject, name: string, path?: string): WireResult<string> {
  const value = jsonString(jsonField(object, name));
  if (value === undefined || value.length === 0) return problem(`${path ? `${path}.` : ''}${name} is missing or not a string`);
  return ok(value);
}

function requiredDecimal(object: ExactJsonObject, name: string): WireResult<string> {
  const value = optionalDecimal(object, name);
  return value === null ? problem(`${name} is missing or not a number`) : ok(value);
}

function optionalDecimal(object: ExactJsonObject, name: string): string | null {
  return jsonDecimalText(jsonField(object, name)) ?? null;
}
