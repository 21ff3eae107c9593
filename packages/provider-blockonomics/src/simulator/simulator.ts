import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { constantTimeEqual, readRawBody } from '@cryptopay/provider-kit';
import { type BlockonomicsCrypto, isSupportedCrypto, TEST_TXID } from '../wire/constants.js';
import { AddressHistory, toJson } from './address-history.js';
import { newAddress, newTxid, newXpub, testBenchAddress } from './addresses.js';
import { callbackUrl, deliver, type CallbackParams, type DeliveryRecord, type RetrySchedule } from './callback-delivery.js';
import { handleSandbox } from './sandbox-routes.js';

export interface BlockonomicsSimulatorOptions {
  /** The API key `new_address` and the sandbox routes accept as `Authorization: Bearer <key>`. */
  readonly apiKey: string;
  /** Other keys accepted as well (sandbox mode: every merchant's own `sandbox-…` key). Default none. */
  readonly acceptsApiKey?: (key: string) => boolean;
  /**
   * The stores' HTTP Callback URLs, as set in Blockonomics > Stores (more with `addStore`).
   * `new_address` matches `match_callback` against them as Blockonomics does (see `matchStore`) and
   * fails with "Could not find matching xpub" when none matches. Default: none.
   */
  readonly storeCallbackUrls?: readonly string[];
  /**
   * A convenience Blockonomics does not have: a `match_callback` no store matches creates a store
   * with exactly that callback URL, as if the merchant had set one up first (sandbox mode, tests
   * that do not exercise store set-up). Default false.
   */
  readonly autoCreateStores?: boolean;
  /** Prices as exact decimal text (or null: unsupported), keyed `BTC/USD`. */
  readonly prices?: Readonly<Record<string, string | null>>;
  /** Multiplies the retry delays (4 s, 8 s, … ): e.g. 0.001 in tests. Default 1. */
  readonly timeScale?: number;
  /** Retries after a failed delivery. Default 7. */
  readonly maxRetries?: number;
  readonly deliveryTimeoutMs?: number;
  /** Default 0: a random free port. */
  readonly port?: number;
  readonly host?: string;
}

export type CallbackStatusValue = CallbackParams['status'];

export interface SimulatedPayOptions {
  readonly txid?: string;
  /** The statuses delivered, in order (skip or reorder them at will). Default `[0, 1, 2]`. */
  readonly statuses?: readonly CallbackStatusValue[];
  /** Sent with status 0 callbacks: 1 opt-in RBF, 2 inherited. */
  readonly rbf?: 1 | 2;
  /** Each callback is delivered this many extra times. */
  readonly duplicates?: number;
  /** Whether callbacks carry the `crypto` parameter (real ones mostly do). Default true. */
  readonly sendCrypto?: boolean;
  /**
   * `false`: the callbacks are never sent (as when the gateway was unreachable past Blockonomics'
   * retries); the payment is still in the address's history. Default true.
   */
  readonly deliver?: boolean;
}

export interface TestCallbackOptions {
  /** The callback URL entered in the Test Bench: the callback goes there, whatever the stores hold. */
  readonly storeUrl?: string;
  readonly address?: string;
  readonly value?: bigint;
  readonly status?: CallbackStatusValue;
}

export interface SimulatedOutput {
  readonly address: string;
  readonly value: bigint;
}

export interface SimulatedPayment {
  readonly txid: string;
  readonly deliveries: DeliveryRecord[];
}

interface IssuedAddress {
  readonly address: string;
  readonly crypto: BlockonomicsCrypto;
  readonly storeUrl: string;
}

export interface InjectedFailure {
  readonly status: number;
  readonly body: string;
}

const DEFAULT_PRICES: Record<string, string | null> = { 'BTC/USD': '64123.45', 'BCH/USD': '456.78', 'BTC/EUR': '59876.5', 'BCH/EUR': '421.3' };

/**
 * Blockonomics for a merchant backend, over real HTTP: `POST /api/new_address`, `GET /api/price`,
 * and payments (programmatic or `POST /sandbox/pay`) that deliver GET callbacks to the store's
 * callback URL as Blockonomics does, retries included. `GET /sandbox/deliveries` shows the log.
 */
export class BlockonomicsSimulator {
  /** Every callback delivery, in order. */
  readonly deliveries: DeliveryRecord[] = [];
  /** While true, every payment's callbacks are dropped (they stay in the address history). */
  dropCallbacks = false;
  /** `searchhistory` requests received, for tests of the rate budget. */
  historyRequests = 0;
  /** Every API request as received: which host (BTC at the root, BCH under `/bch`), path and query. */
  readonly requests: { host: BlockonomicsCrypto; path: string; query: Record<string, string> }[] = [];
  private readonly history = new AddressHistory();
  private readonly issued = new Map<string, IssuedAddress>();
  private readonly stores = new Map<string, string>();
  private readonly prices: Map<string, string | null>;
  private readonly schedule: RetrySchedule;
  private newAddressFailures: InjectedFailure[] = [];
  private historyFailures: InjectedFailure[] = [];

  private constructor(
    private readonly server: Server,
    private readonly options: BlockonomicsSimulatorOptions,
    readonly baseUrl: string,
  ) {
    for (const url of options.storeCallbackUrls ?? []) this.stores.set(url, newXpub());
    this.prices = new Map(Object.entries({ ...DEFAULT_PRICES, ...options.prices }));
    this.schedule = {
      maxRetries: options.maxRetries ?? 7,
      firstDelayMs: 4_000,
      timeScale: options.timeScale ?? 1,
      attemptTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
    };
  }

  static async start(options: BlockonomicsSimulatorOptions): Promise<BlockonomicsSimulator> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
    const { address, port } = server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    const simulator = new BlockonomicsSimulator(server, options, `http://${host}:${port}`);
    server.on('request', (request, response) => void simulator.route(request, response));
    return simulator;
  }

  /** The BCH host (`bch.blockonomics.co`): this simulator under `/bch`; it serves BCH only. */
  get bchBaseUrl(): string {
    return `${this.baseUrl}/bch`;
  }

  /** How failed deliveries are retried. */
  get retrySchedule(): RetrySchedule {
    return this.schedule;
  }

  setPrice(crypto: BlockonomicsCrypto, currency: string, price: string | null): void {
    this.prices.set(`${crypto}/${currency}`, price);
  }

  /** The next `new_address` calls answer with these failures instead (gap limit, store mismatch …). */
  failNewAddress(...failures: InjectedFailure[]): void {
    this.newAddressFailures = [...failures];
  }

  /** The next `searchhistory` calls answer with these failures instead (an outage, a rate limit …). */
  failHistory(...failures: InjectedFailure[]): void {
    this.historyFailures = [...failures];
  }

  /** What a merchant does in Blockonomics > Stores: a store with this HTTP Callback URL. Returns its xpub. */
  addStore(callbackUrl: string): string {
    const xpub = this.stores.get(callbackUrl) ?? newXpub();
    this.stores.set(callbackUrl, xpub);
    return xpub;
  }

  /** The addresses handed out so far. */
  issuedAddresses(): string[] {
    return [...this.issued.keys()];
  }

  /** The callback URL of the store an address was issued for (the `match_callback` it was asked with). */
  storeUrlOf(address: string): string | undefined {
    return this.issued.get(address)?.storeUrl;
  }

  /** One transaction paying one address: a callback per status, in order, each delivered with retries. */
  pay(address: string, value: bigint, options: SimulatedPayOptions = {}): Promise<SimulatedPayment> {
    return this.payOutputs([{ address, value }], options);
  }

  /** One transaction paying several addresses: per status, a callback for each address. */
  async payOutputs(outputs: readonly SimulatedOutput[], options: SimulatedPayOptions = {}): Promise<SimulatedPayment> {
    const txid = options.txid ?? newTxid();
    const targets = outputs.map((output) => ({ ...output, issued: this.requireIssued(output.address) }));
    const records: DeliveryRecord[] = [];
    for (const status of options.statuses ?? [0, 1, 2]) {
      for (const { address, value, issued } of targets) {
        const params: CallbackParams = {
          status,
          addr: address,
          value,
          txid,
          ...(status === 0 && options.rbf ? { rbf: options.rbf } : {}),
          ...(options.sendCrypto === false ? {} : { crypto: issued.crypto }),
        };
        this.history.record(address, txid, value, status);
        if (options.deliver === false || this.dropCallbacks) continue;
        for (let copy = 0; copy <= (options.duplicates ?? 0); copy++) records.push(await this.send(issued.storeUrl, params));
      }
    }
    return { txid, deliveries: records };
  }

  /**
   * What Merchant > Logs / Test Bench sends: a callback in the real format with the test txid, to
   * the callback URL the merchant enters there (`storeUrl`), for a given or made-up address. Without
   * `storeUrl` (a shortcut of tests, not of the Test Bench): the address's store, else the first store.
   */
  async sendTestCallback(options: TestCallbackOptions = {}): Promise<DeliveryRecord> {
    const storeUrl = options.storeUrl ?? this.issued.get(options.address ?? '')?.storeUrl ?? [...this.stores.keys()][0];
    if (storeUrl === undefined) throw new Error('no store callback URL known: pass storeUrl or create an address first');
    const params: CallbackParams = { status: options.status ?? 2, addr: options.address ?? testBenchAddress(), value: options.value ?? 10_000n, txid: TEST_TXID, crypto: 'BTC' };
    return this.send(storeUrl, params);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async send(storeUrl: string, params: CallbackParams): Promise<DeliveryRecord> {
    const record: DeliveryRecord = { url: callbackUrl(storeUrl, params), params, attempts: [], delivered: false };
    this.deliveries.push(record);
    await deliver(record, this.schedule);
    return record;
  }

  private requireIssued(address: string): IssuedAddress {
    const issued = this.issued.get(address);
    if (!issued) throw new Error(`the simulator never handed out address ${address}`);
    return issued;
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.baseUrl);
    const host: BlockonomicsCrypto = url.pathname.startsWith('/bch/') ? 'BCH' : 'BTC';
    if (host === 'BCH') url.pathname = url.pathname.slice('/bch'.length);
    if (url.pathname.startsWith('/api/')) this.requests.push({ host, path: url.pathname, query: Object.fromEntries(url.searchParams) });
    try {
      const body = await readRawBody(request);
      if (request.method === 'POST' && url.pathname === '/api/new_address') return this.newAddressRoute(request, url, response, host);
      if (request.method === 'GET' && url.pathname === '/api/price') return this.priceRoute(url, response, host);
      if (request.method === 'POST' && url.pathname === '/api/searchhistory') return this.searchHistoryRoute(request, Buffer.from(body).toString('utf8'), response);
      if (url.pathname.startsWith('/sandbox/')) {
        // Paying settles invoices: only this run's own key, never one `acceptsApiKey` admits.
        if (!this.authorized(request, { ownKeyOnly: true })) return json(response, 401, '{"message": "Unauthorized: wrong API key"}');
        return await handleSandbox(this, request.method ?? 'GET', url.pathname, Buffer.from(body).toString('utf8'), response);
      }
      json(response, 404, '{"message": "Not found"}');
    } catch (error) {
      json(response, 500, JSON.stringify({ message: `simulator error: ${error instanceof Error ? error.message : String(error)}` }));
    }
  }

  /** On the BCH host the coin is BCH whatever `crypto` says (what the real host does with one is unknown; no official client sends it). */
  private newAddressRoute(request: IncomingMessage, url: URL, response: ServerResponse, host: BlockonomicsCrypto): void {
    if (!this.authorized(request)) return json(response, 401, '{"message": "Unauthorized: wrong API key"}');
    const injected = this.newAddressFailures.shift();
    if (injected) return json(response, injected.status, injected.body);
    const crypto = host === 'BCH' ? 'BCH' : (url.searchParams.get('crypto') ?? 'BTC').toUpperCase();
    if (!isSupportedCrypto(crypto)) return json(response, 400, JSON.stringify({ message: `Unsupported crypto ${crypto}` }));
    const storeUrl = this.matchStore(url.searchParams.get('match_callback'));
    if (storeUrl === undefined) return json(response, 400, '{"error": {"message": "Could not find matching xpub"}}');
    const issued: IssuedAddress = { address: newAddress(crypto), crypto, storeUrl };
    this.issued.set(issued.address, issued);
    json(response, 200, JSON.stringify({ address: issued.address, account: this.stores.get(storeUrl) }));
  }

  /**
   * `POST /api/searchhistory {"addr": "<address> <address> …"}`: the addresses' transactions, as
   * Blockonomics answers (see AddressHistory). Its real rate limit (about 2 a minute) is not
   * enforced here: what Blockonomics answers when it is exceeded is not documented.
   */
  private searchHistoryRoute(request: IncomingMessage, body: string, response: ServerResponse): void {
    if (!this.authorized(request)) return json(response, 401, '{"message": "Unauthorized: wrong API key"}');
    this.historyRequests++;
    const injected = this.historyFailures.shift();
    if (injected) return json(response, injected.status, injected.body);
    let addresses: string[] = [];
    try {
      const parsed = JSON.parse(body) as { addr?: unknown };
      if (typeof parsed.addr === 'string') addresses = parsed.addr.split(/\s+/).filter((address) => address.length > 0);
    } catch {
      return json(response, 400, '{"message": "Invalid JSON"}');
    }
    if (addresses.length === 0) return json(response, 400, '{"message": "addr is required"}');
    json(response, 200, toJson(this.history.search(addresses)));
  }

  /**
   * The store `match_callback` selects. Blockonomics documents partial matches: "String used to match
   * part of your callback URL … you don't need to provide the full callback URL" (new_address), "a
   * string … that matches part/whole of your store callback URL" (monitor_tx). So: the store whose
   * URL equals it, else the first store (oldest) whose URL contains it. Not documented, so not
   * claimed to be Blockonomics' behaviour: which store wins when several contain it, whether the
   * match ignores case, and what happens without `match_callback` (here: the first store).
   */
  private matchStore(matchCallback: string | null): string | undefined {
    const urls = [...this.stores.keys()];
    if (matchCallback === null) return urls[0];
    const matched = this.stores.has(matchCallback) ? matchCallback : urls.find((url) => url.includes(matchCallback));
    if (matched !== undefined || !this.options.autoCreateStores) return matched;
    this.addStore(matchCallback);
    return matchCallback;
  }

  private priceRoute(url: URL, response: ServerResponse, host: BlockonomicsCrypto): void {
    const crypto = host === 'BCH' ? 'BCH' : (url.searchParams.get('crypto') ?? 'BTC').toUpperCase();
    const key = `${crypto}/${url.searchParams.get('currency') ?? ''}`;
    // Written as JSON number text, as Blockonomics does: clients must not read it as a float.
    json(response, 200, `{"price": ${this.prices.get(key) ?? 'null'}}`);
  }

  private authorized(request: IncomingMessage, { ownKeyOnly = false } = {}): boolean {
    const given = request.headers.authorization ?? '';
    if (constantTimeEqual(`Bearer ${this.options.apiKey}`, given)) return true;
    return !ownKeyOnly && given.startsWith('Bearer ') && (this.options.acceptsApiKey?.(given.slice('Bearer '.length)) ?? false);
  }
}

function json(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(body);
}
