import { type IncomingMessage } from 'node:http';
import { type CoinDefinition, MoneyError } from '@cryptopay/invoice';
import { asJsonObject, jsonDecimalText, jsonField, jsonString } from '@cryptopay/provider-kit';
import { coinForTicker } from '../mapping/coins.js';
import { TEST_PAYMENT_FIELD } from '../wire/callback.js';
import { readJson } from '../wire/reading.js';
import { tickerFromPath } from '../wire/ticker.js';
import { type SimulatedAddress, type SimulatedPaymentInput, type SimulatedTransaction, type SimulatorLedger } from './ledger.js';
import { type Market } from './market.js';

export type ApiAction = 'create' | 'convert' | 'info' | 'logs' | 'pubkey';

/** An error the next call to an endpoint answers with (tests of the error envelope and outages). */
export interface InjectedFailure {
  readonly status: number;
  /** The envelope's `error` message; ignored when `rawBody` is given. */
  readonly error?: string;
  /** Answer this text verbatim instead of the envelope (an HTML error page, a broken body). */
  readonly rawBody?: string;
  /** Echo the request in the envelope's message: the decoded `callback` and the URL as received, API key included. */
  readonly echoRequest?: boolean;
}

/** What the HTTP API needs from the simulator. */
export interface SimulatorBackend {
  readonly apiKey: string;
  accepts(key: string): boolean;
  readonly publicKeyPem: string;
  readonly ledger: SimulatorLedger;
  readonly market: Market;
  takeFailure(action: ApiAction): InjectedFailure | undefined;
  payFromSandbox(payment: SimulatedPaymentInput): Promise<{ uuid: string; txid_in: string }>;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

const ROUTE = /^\/([a-z0-9]+(?:\/[a-z0-9]+)?)\/(create|convert|info|logs)\/?$/;
const PLAIN_DECIMAL = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;
const MAX_LOGGED_ATTEMPTS = 10;

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Routes one request to BlockBee's API (plus the simulator's own `POST /sandbox/pay`). */
export async function answerApi(backend: SimulatorBackend, request: IncomingMessage, body: string): Promise<ApiAnswer> {
  try {
    const url = new URL(request.url ?? '/', 'http://simulator');
    if (request.method === 'POST' && url.pathname === '/sandbox/pay') {
      // Paying settles invoices: only this run's own key, never one `acceptsApiKey` admits.
      requireApiKey(backend, url, request, { ownKeyOnly: true });
      return success(await backend.payFromSandbox(sandboxPayment(body)));
    }
    if (request.method !== 'GET') throw new ApiError(405, `${request.method} is not supported`);
    if (url.pathname === '/pubkey/' || url.pathname === '/pubkey') return injected(backend, 'pubkey', url) ?? success({ pubkey: backend.publicKeyPem });
    const route = ROUTE.exec(url.pathname);
    const ticker = route ? tickerFromPath(route[1] as string) : null;
    if (!route || ticker === null) throw new ApiError(404, 'Not found');
    const action = route[2] as Exclude<ApiAction, 'pubkey'>;
    requireApiKey(backend, url, request);
    const coin = coinForTicker(ticker);
    if (!coin) throw new ApiError(404, `Coin ${ticker} not supported`);
    return injected(backend, action, url) ?? success(ACTIONS[action]({ backend, ticker, coin, query: url.searchParams }));
  } catch (error) {
    if (error instanceof ApiError) return envelope(error.status, error.message);
    if (error instanceof MoneyError) return envelope(400, error.message);
    throw error;
  }
}

interface ActionInput {
  readonly backend: SimulatorBackend;
  readonly ticker: string;
  readonly coin: CoinDefinition;
  readonly query: URLSearchParams;
}

const ACTIONS: Record<Exclude<ApiAction, 'pubkey'>, (input: ActionInput) => object> = {
  create: ({ backend, ticker, query }) => {
    const address = backend.ledger.addressFor({
      ticker,
      callbackUrl: required(query, 'callback'),
      notifyPending: query.get('pending') === '1',
      confirmations: confirmations(query.get('confirmations')),
      encoding: query.get('post') === '1' ? (query.get('json') === '1' ? 'json' : 'form') : 'get',
    });
    return {
      address_in: address.addressIn,
      address_out: address.addressOut,
      callback_url: address.callbackUrl,
      priority: 'default',
      minimum_transaction_coin: backend.market.minimum(ticker),
    };
  },
  convert: ({ backend, ticker, coin, query }) => {
    const from = required(query, 'from').toUpperCase();
    const quote = backend.market.convert(coin, ticker, required(query, 'value'), from);
    if (!quote) throw new ApiError(400, `No price for ${from}`);
    return { value_coin: quote.valueCoin, exchange_rate: quote.exchangeRate };
  },
  info: ({ backend, ticker, coin, query }) => ({
    coin: coin.name,
    ticker,
    minimum_transaction_coin: backend.market.minimum(ticker),
    fee_percent: '1.000',
    ...(query.get('prices') === '1' ? { prices: backend.market.pricesOf(ticker) } : {}),
  }),
  logs: ({ backend, ticker, query }) => {
    const address = backend.ledger.byCallbackUrl(ticker, required(query, 'callback'));
    if (!address) throw new ApiError(404, 'Callback not found');
    // BlockBee documents an error when there are no callbacks yet; its exact status and text are not (see docs/providers/blockbee.md).
    if (address.transactions.length === 0) throw new ApiError(404, 'No callbacks found for this address');
    return logsOf(address);
  },
};

function logsOf(address: SimulatedAddress): object {
  return {
    callback_url: address.callbackUrl,
    address_in: address.addressIn,
    address_out: address.addressOut,
    notify_pending: address.notifyPending,
    notify_confirmations: address.confirmations,
    priority: 'default',
    // Newest first, as BlockBee lists them.
    callbacks: address.transactions.map((transaction) => loggedTransaction(address, transaction)).reverse(),
  };
}

function loggedTransaction(address: SimulatedAddress, transaction: SimulatedTransaction): object {
  const confirmed = transaction.result !== 'pending';
  // BlockBee's entries carry no uuid (the webhooks do).
  return {
    txid_in: transaction.txidIn,
    txid_out: confirmed ? transaction.txidOut : null,
    value_coin: new RawNumber(transaction.valueCoin),
    confirmations: confirmed ? address.confirmations : 0,
    result: transaction.result,
    logs: transaction.attempts.slice(-MAX_LOGGED_ATTEMPTS).map((attempt) => ({
      request_url: attempt.requestUrl,
      response: attempt.response,
      response_status: attempt.responseStatus === null ? null : String(attempt.responseStatus),
      timestamp: attempt.timestamp.toISOString(),
      next_try: attempt.nextTry?.toISOString() ?? null,
      pending: attempt.pending ? 1 : 0,
    })),
    ...(transaction.test ? { [TEST_PAYMENT_FIELD]: 1 } : {}),
  };
}

/** A JSON number written as its exact decimal text (BlockBee's logs carry amounts as numbers). */
class RawNumber {
  constructor(readonly text: string) {}
}

function toJson(value: object): string {
  const marked = JSON.stringify(value, (_key, item: unknown) => (item instanceof RawNumber ? `\u0000${item.text}\u0000` : item));
  return marked.replace(/"\\u0000([^"\\]*)\\u0000"/g, '$1');
}

function sandboxPayment(body: string): SimulatedPaymentInput {
  const json = readJson(body);
  const object = json.ok ? asJsonObject(json.value) : undefined;
  if (!object) throw new ApiError(400, 'the body must be a JSON object');
  const valueCoin = jsonDecimalText(jsonField(object, 'value_coin'));
  if (valueCoin === undefined || !PLAIN_DECIMAL.test(valueCoin)) throw new ApiError(400, 'value_coin must be a plain decimal like "0.001"');
  const address = jsonString(jsonField(object, 'address_in'));
  if (!address) throw new ApiError(400, 'address_in is required');
  const encoding = jsonString(jsonField(object, 'encoding'));
  if (encoding !== undefined && encoding !== 'get' && encoding !== 'form' && encoding !== 'json') {
    throw new ApiError(400, 'encoding must be get, form or json');
  }
  const duplicates = jsonDecimalText(jsonField(object, 'duplicates'));
  if (duplicates !== undefined && !/^[0-9]$/.test(duplicates)) throw new ApiError(400, 'duplicates must be 0 to 9');
  const txid = jsonString(jsonField(object, 'txid_in'));
  const coin = jsonString(jsonField(object, 'coin'));
  return {
    address,
    valueCoin,
    ...(txid === undefined ? {} : { txid }),
    ...(coin === undefined ? {} : { coin }),
    ...(encoding === undefined ? {} : { encoding }),
    ...(duplicates === undefined ? {} : { duplicates: Number.parseInt(duplicates, 10) }),
    ...(jsonField(object, 'reorder') === true ? { reorder: true } : {}),
    ...(jsonField(object, 'deliver') === false ? { deliver: false } : {}),
    ...(typeof jsonField(object, 'test') === 'boolean' ? { test: jsonField(object, 'test') === true } : {}),
  };
}

function requireApiKey(backend: SimulatorBackend, url: URL, request: IncomingMessage, { ownKeyOnly = false } = {}): void {
  const given = url.searchParams.get('apikey') ?? request.headers['apikey'];
  const accepted = typeof given === 'string' && (ownKeyOnly ? given === backend.apiKey : backend.accepts(given));
  if (!accepted) throw new ApiError(401, 'API Key not valid');
}

function required(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value.length === 0) throw new ApiError(400, `${name} is required`);
  return value;
}

function confirmations(text: string | null): number {
  if (text === null) return 1;
  if (!/^[0-9]{1,2}$/.test(text)) throw new ApiError(400, 'confirmations must be a whole number');
  return Number.parseInt(text, 10);
}

function injected(backend: SimulatorBackend, action: ApiAction, url: URL): ApiAnswer | undefined {
  const failure = backend.takeFailure(action);
  if (!failure) return undefined;
  if (failure.rawBody !== undefined) return { status: failure.status, body: failure.rawBody, contentType: 'text/html' };
  const error = failure.error ?? 'Internal error';
  const echo = failure.echoRequest ? ` for callback ${url.searchParams.get('callback') ?? ''} (request ${url.pathname}${url.search})` : '';
  return envelope(failure.status, `${error}${echo}`);
}

function success(payload: object): ApiAnswer {
  return { status: 200, body: toJson({ status: 'success', ...payload }), contentType: 'application/json' };
}

function envelope(status: number, error: string): ApiAnswer {
  return { status, body: JSON.stringify({ status: 'error', error }), contentType: 'application/json' };
}
