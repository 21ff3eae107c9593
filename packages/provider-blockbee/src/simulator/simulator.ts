import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type CallbackEncoding } from '../wire/fields.js';
import { Deliverer } from './delivery.js';
import { type ApiAction, answerApi, type InjectedFailure, type SimulatorBackend } from './http-api.js';
import { type DeliveryAttempt, type SimulatedAddress, type SimulatedPaymentInput, type SimulatedTransaction, SimulatorLedger } from './ledger.js';
import { Market } from './market.js';
import { webhookFields } from './payload.js';
import { encodeWebhook, signData } from './webhook.js';

export interface BlockBeeSimulatorOptions {
  /** The API key requests must carry; default `simulator-api-key`. */
  readonly apiKey?: string;
  /** Other keys accepted as well (sandbox mode: every merchant's own `sandbox-…` key). Default none. */
  readonly acceptsApiKey?: (key: string) => boolean;
  /** Multiplies BlockBee's retry delays (6, 12, 24… minutes); e.g. `0.0001` makes 6 min 36 ms. Default 1. */
  readonly timeScale?: number;
  /** Forces every webhook into one encoding, whatever the address was created with. */
  readonly encoding?: CallbackEncoding;
  /** Size of the generated signing key; BlockBee's is 1024. */
  readonly keyBits?: 1024 | 2048;
  /** Sandbox mode: every payment is a test payment (marked so the adapter can tell). Default false. */
  readonly testPayments?: boolean;
  readonly host?: string;
  readonly port?: number;
}


export interface SimulatedPayment {
  readonly uuid: string;
  readonly txid: string;
  /** The first attempt of each webhook sent by this call, in order. */
  readonly attempts: readonly DeliveryAttempt[];
}

/**
 * A local BlockBee over real HTTP: `create` (same callback URL → same address), `convert`, `info`,
 * `logs` and `pubkey`, plus payments (programmatic, or `POST /sandbox/pay`) that deliver signed
 * pending and confirmed webhooks with BlockBee's retry schedule. Webhooks are sent from loopback,
 * so an adapter under test must allow 127.0.0.1 / ::1.
 */
export class BlockBeeSimulator implements SimulatorBackend {
  readonly ledger = new SimulatorLedger();
  readonly market = new Market();
  readonly apiKey: string;
  readonly publicKeyPem: string;
  private readonly privateKey: KeyObject;
  private readonly deliverer: Deliverer;
  private readonly failures = new Map<ApiAction, InjectedFailure[]>();
  private url = '';
  /** While true, no webhook is sent: payments only show in the logs. */
  dropCallbacks = false;

  /** Whether a request carrying `key` is let in: the simulator's own key, or one `acceptsApiKey` admits. */
  accepts(key: string): boolean {
    return key === this.apiKey || (this.options.acceptsApiKey?.(key) ?? false);
  }

  private constructor(
    private readonly server: Server,
    private readonly options: BlockBeeSimulatorOptions,
  ) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: options.keyBits ?? 1024 });
    this.privateKey = privateKey;
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.apiKey = options.apiKey ?? 'simulator-api-key';
    this.deliverer = new Deliverer(options.timeScale ?? 1);
  }

  static async start(options: BlockBeeSimulatorOptions = {}): Promise<BlockBeeSimulator> {
    const server = createServer();
    const simulator = new BlockBeeSimulator(server, options);
    server.on('request', (request, response) => void simulator.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
    });
    const { address, port } = server.address() as AddressInfo;
    simulator.url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    return simulator;
  }

  /** The API base URL to configure the adapter with. */
  get baseUrl(): string {
    return this.url;
  }

  setRate(ticker: string, fiatPerCoin: string, currency = 'USD'): void {
    this.market.setPrice(ticker, currency, fiatPerCoin);
  }

  setMinimum(ticker: string, coinUnits: string): void {
    this.market.setMinimum(ticker, coinUnits);
  }

  /** The next call to `action` answers with this failure instead. */
  failNext(action: ApiAction, failure: InjectedFailure): void {
    this.failures.set(action, [...(this.failures.get(action) ?? []), failure]);
  }

  takeFailure(action: ApiAction): InjectedFailure | undefined {
    return this.failures.get(action)?.shift();
  }

  /** Signs like BlockBee (base64 RSA-SHA256), for tests that craft their own webhooks. */
  sign(data: Uint8Array | string): string {
    return signData(this.privateKey, data);
  }

  address(addressIn: string): SimulatedAddress | undefined {
    return this.ledger.address(addressIn);
  }

  /** A transaction to `address`: the pending webhook (if the address asked for it), then the confirmed one. */
  async pay(input: SimulatedPaymentInput): Promise<SimulatedPayment> {
    const address = this.requireAddress(input.address);
    const test = input.test ?? this.options.testPayments ?? false;
    const transaction = this.ledger.addTransaction(address, { ...input, test }, Date.now());
    const states = [...(address.notifyPending ? [true] : []), ...(input.confirm === false ? [] : [false])];
    if (input.reorder) states.reverse();
    const attempts: DeliveryAttempt[] = [];
    for (const pending of states) attempts.push(...(await this.send(address, transaction, pending, input)));
    return { uuid: transaction.uuid, txid: transaction.txidIn, attempts };
  }

  /** Delivers the confirmed webhook of a payment made with `confirm: false`. */
  async confirm(uuid: string, options: Pick<SimulatedPaymentInput, 'encoding' | 'duplicates'> = {}): Promise<readonly DeliveryAttempt[]> {
    for (const address of this.ledger.addresses()) {
      const transaction = address.transactions.find((candidate) => candidate.uuid === uuid);
      if (transaction) return this.send(address, transaction, false, options);
    }
    throw new Error(`no simulated transaction ${uuid}`);
  }

  async payFromSandbox(payment: SimulatedPaymentInput): Promise<{ uuid: string; txid_in: string }> {
    const { uuid, txid } = await this.pay(payment);
    return { uuid, txid_in: txid };
  }

  /** Resolves when every delivery and scheduled retry has finished. */
  idle(): Promise<void> {
    return this.deliverer.idle();
  }

  async close(): Promise<void> {
    this.deliverer.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async send(
    address: SimulatedAddress,
    transaction: SimulatedTransaction,
    pending: boolean,
    input: Pick<SimulatedPaymentInput, 'encoding' | 'duplicates' | 'deliver'>,
  ): Promise<DeliveryAttempt[]> {
    if (input.deliver === false || this.dropCallbacks) {
      // Forwarded all the same: BlockBee logs it as sent, never acknowledged.
      if (!pending) transaction.result = transaction.result === 'done' ? 'done' : 'sent';
      return [];
    }
    const encoding = this.options.encoding ?? input.encoding ?? address.encoding;
    const fields = webhookFields(address, transaction, pending, this.market.price(transaction.coin, 'USD') ?? '1');
    const delivery = encodeWebhook(address.callbackUrl, fields, encoding, this.privateKey);
    const attempts: DeliveryAttempt[] = [];
    for (let copy = 0; copy <= (input.duplicates ?? 0); copy++) attempts.push(await this.deliverer.deliver(transaction, pending, delivery));
    return attempts;
  }

  private requireAddress(addressIn: string): SimulatedAddress {
    const address = this.ledger.address(addressIn);
    if (!address) throw new Error(`the simulator never handed out address ${addressIn}`);
    return address;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const answer = await answerApi(this, request, Buffer.concat(chunks).toString('utf8'));
      response.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', error: message }));
    }
  }
}
