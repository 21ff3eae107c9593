import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnFreePort } from '@cryptopay/test-servers';
import {
  applyObservation,
  createInvoice,
  type FiatAmount,
  InMemoryInvoiceRepository,
  type Invoice,
  invoicePolicy,
  type InvoicePolicy,
} from '@cryptopay/invoice';
import { type BoundCallback, type CallbackOutcome, type RawCallback, readRawBody, runCallbackPipeline, toRawCallback } from '@cryptopay/provider-kit';
import { type BlockBeeAdapter, type BlockBeeOptions } from '../../src/index.js';
import { BlockBeeSimulator, type BlockBeeSimulatorOptions } from '../../src/simulator/index.js';
import { adapterFrom } from './callbacks.js';
import { BTC, LOOPBACK } from './harness.js';

export interface Delivery {
  readonly raw: RawCallback;
  readonly outcome: CallbackOutcome;
}

/**
 * The core's callback path in miniature, over real HTTP, with the real invoice domain and provider-kit's
 * one pipeline: verify → parse → find → bind (the core's policy) → apply once per delivery key →
 * acknowledge. `answerNext` lets a test make the shop fail like a store outage would.
 */
export class Shop {
  readonly invoices = new InMemoryInvoiceRepository();
  readonly deliveries: Delivery[] = [];
  private readonly applied = new Set<string>();
  private readonly outages: CallbackOutcome[] = [];
  private baseUrl = '';

  private constructor(
    readonly adapter: BlockBeeAdapter,
    private readonly server: Server,
    private readonly ownSimulator: BlockBeeSimulator | null,
  ) {}

  /** A shop whose adapter talks to a fresh simulator. */
  static async open(options: { simulator?: BlockBeeSimulatorOptions; adapter?: Partial<BlockBeeOptions> } = {}): Promise<Shop> {
    const simulator = await BlockBeeSimulator.start({ timeScale: 0.0001, ...options.simulator });
    const adapter = adapterFrom({
      apiKey: simulator.apiKey,
      apiBaseUrl: simulator.baseUrl,
      allowlist: LOOPBACK,
      publicKeyPem: simulator.publicKeyPem,
      ...options.adapter,
    });
    return Shop.serving(adapter, simulator);
  }

  /** A shop for an adapter configured elsewhere (e.g. from a sandbox's options). */
  static async serving(adapter: BlockBeeAdapter, simulator: BlockBeeSimulator | null = null): Promise<Shop> {
    const server = createServer();
    const shop = new Shop(adapter, server, simulator);
    server.on('request', (request, response) => void shop.receive(request, response));
    const port = await listenOnFreePort(server);
    shop.baseUrl = `http://127.0.0.1:${port}`;
    return shop;
  }

  get simulator(): BlockBeeSimulator {
    if (!this.ownSimulator) throw new Error('this shop runs no simulator of its own');
    return this.ownSimulator;
  }

  get callbackUrl(): string {
    return `${this.baseUrl}/v1/callbacks/blockbee`;
  }

  /** Opens an invoice for `fiat` through the adapter, as the invoice API would. */
  async openInvoice(fiat: FiatAmount = { currency: 'USD', minor: 2500n }, policy: InvoicePolicy = invoicePolicy(), id?: string): Promise<Invoice> {
    const invoiceId = id ?? randomUUID();
    const request = await this.adapter.createPaymentRequest({ invoiceId, coin: BTC, fiat, callbackUrl: this.callbackUrl });
    const { invoice } = createInvoice(
      { id: invoiceId, provider: 'blockbee', coin: BTC.code, orderId: `order-${invoiceId}`, fiat, ...request },
      policy,
      new Date(),
    );
    await this.invoices.create(invoice);
    return invoice;
  }

  async invoice(id: string): Promise<Invoice> {
    const invoice = await this.invoices.findById(id);
    if (!invoice) throw new Error(`no invoice ${id}`);
    return invoice;
  }

  /** The next deliveries are answered with this outcome (e.g. retry-later 503) instead of being processed. */
  answerNext(outcome: CallbackOutcome, times = 1): void {
    for (let i = 0; i < times; i++) this.outages.push(outcome);
  }

  async close(): Promise<void> {
    await this.ownSimulator?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = toRawCallback(request, await readRawBody(request), this.baseUrl);
    const outcome = await this.process(raw);
    this.deliveries.push({ raw, outcome });
    const ack = this.adapter.acknowledge(outcome);
    response.writeHead(ack.status, { 'content-type': ack.contentType }).end(ack.body);
  }

  private async process(raw: RawCallback): Promise<CallbackOutcome> {
    const outage = this.outages.shift();
    if (outage) return outage;
    const run = await runCallbackPipeline(this.adapter, raw, {
      findInvoice: (locator) => (locator.by === 'id' ? this.invoices.findById(locator.invoiceId) : Promise.resolve(null)),
      apply: (bound) => this.apply(bound),
    });
    return 'outcome' in run ? run.outcome : run.result;
  }

  private async apply({ notification, invoice, observation }: BoundCallback): Promise<CallbackOutcome> {
    if (this.applied.has(notification.deliveryKey)) return { kind: 'duplicate' };
    const change = applyObservation(invoice, observation, new Date());
    if (change.invoice !== invoice) await this.invoices.update(change.invoice);
    this.applied.add(notification.deliveryKey);
    return { kind: 'applied' };
  }
}
