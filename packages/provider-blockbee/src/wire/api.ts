import {
  asJsonObject,
  type ExactJson,
  type ExactJsonObject,
  jsonDecimalText,
  jsonField,
  jsonString,
} from '@cryptopay/provider-kit';

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

/** `GET /{ticker}/info/` */
export interface CoinInfoResponse {
  /** Smaller transactions are not forwarded: the funds are lost, so the payer must be told. */
  readonly minimumTransactionCoin: string;
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
}

export interface LoggedDelivery {
  /** The exact URL BlockBee requested (GET mode): replayable through the normal callback path. */
  readonly requestUrl: string | null;
  readonly responseStatus: string | null;
  readonly response: string | null;
  readonly timestamp: string | null;
  readonly nextTry: string | null;
}

/** The body is not the shape BlockBee documents; `reason` names the field. */
export class WireShapeError extends Error {
  override readonly name = 'WireShapeError';
}

/** BlockBee's error envelope `{"status":"error","error":"…"}`, or null when the body is not one. */
export function readErrorEnvelope(body: ExactJson): string | null {
  const object = asJsonObject(body);
  if (!object || jsonString(jsonField(object, 'status')) !== 'error') return null;
  return jsonString(jsonField(object, 'error')) ?? 'no error message';
}

export function readCreateAddress(body: ExactJson): CreateAddressResponse {
  const object = success(body);
  return {
    addressIn: requiredString(object, 'address_in'),
    callbackUrl: requiredString(object, 'callback_url'),
    minimumTransactionCoin: optionalDecimal(object, 'minimum_transaction_coin'),
  };
}

export function readConvert(body: ExactJson): ConvertResponse {
  const object = success(body);
  return { valueCoin: requiredDecimal(object, 'value_coin'), exchangeRate: requiredDecimal(object, 'exchange_rate') };
}

export function readCoinInfo(body: ExactJson): CoinInfoResponse {
  return { minimumTransactionCoin: requiredDecimal(success(body), 'minimum_transaction_coin') };
}

export function readPublicKey(body: ExactJson): string {
  return requiredString(success(body), 'pubkey');
}

export function readLogs(body: ExactJson): LogsResponse {
  const object = success(body);
  const callbacks = jsonField(object, 'callbacks') ?? [];
  if (!Array.isArray(callbacks)) throw new WireShapeError('callbacks is not a list');
  return {
    callbackUrl: requiredString(object, 'callback_url'),
    addressIn: requiredString(object, 'address_in'),
    transactions: callbacks.map((entry, index) => loggedTransaction(entry, `callbacks[${index}]`)),
  };
}

function loggedTransaction(entry: ExactJson, path: string): LoggedTransaction {
  const object = asJsonObject(entry);
  if (!object) throw new WireShapeError(`${path} is not an object`);
  const logs = jsonField(object, 'logs') ?? [];
  if (!Array.isArray(logs)) throw new WireShapeError(`${path}.logs is not a list`);
  return {
    uuid: jsonString(jsonField(object, 'uuid')) ?? null,
    txidIn: requiredString(object, 'txid_in', path),
    valueCoin: optionalDecimal(object, 'value_coin'),
    confirmations: optionalDecimal(object, 'confirmations'),
    result: requiredString(object, 'result', path),
    deliveries: logs.map((log, index) => loggedDelivery(log, `${path}.logs[${index}]`)),
  };
}

function loggedDelivery(entry: ExactJson, path: string): LoggedDelivery {
  const object = asJsonObject(entry);
  if (!object) throw new WireShapeError(`${path} is not an object`);
  return {
    requestUrl: jsonString(jsonField(object, 'request_url')) ?? null,
    responseStatus: optionalDecimal(object, 'response_status'),
    response: jsonString(jsonField(object, 'response')) ?? null,
    timestamp: jsonString(jsonField(object, 'timestamp')) ?? null,
    nextTry: jsonString(jsonField(object, 'next_try')) ?? null,
  };
}

function success(body: ExactJson): ExactJsonObject {
  const object = asJsonObject(body);
  if (!object) throw new WireShapeError('the body is not a JSON object');
  const status = jsonString(jsonField(object, 'status'));
  if (status !== 'success') throw new WireShapeError(`status is ${status === undefined ? 'missing' : JSON.stringify(status)}, not "success"`);
  return object;
}

function requiredString(object: ExactJsonObject, name: string, path?: string): string {
  const value = jsonString(jsonField(object, name));
  if (value === undefined || value.length === 0) throw new WireShapeError(`${path ? `${path}.` : ''}${name} is missing or not a string`);
  return value;
}

function requiredDecimal(object: ExactJsonObject, name: string): string {
  const value = optionalDecimal(object, name);
  if (value === null) throw new WireShapeError(`${name} is missing or not a number`);
  return value;
}

function optionalDecimal(object: ExactJsonObject, name: string): string | null {
  return jsonDecimalText(jsonField(object, name)) ?? null;
}
