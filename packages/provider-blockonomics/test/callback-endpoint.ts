import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnFreePort } from '@cryptopay/test-servers';
import {
  applyObservation,
  type CoinDefinition,
  createInvoice,
  DEFAULT_INVOICE_POLICY,
  type InvoicePolicy,
  type FiatAmount,
  InMemoryInvoiceRepository,
  type Invoice,
  type InvoiceRepository,
} from '@cryptopay/invoice';
import {
  type Acknowledgement,
  type BoundCallback,
  type CallbackNotification,
  type CallbackOutcome,
  type InvoiceLocator,
  type PipelineStage,
  type RawCallback,
  readRawBody,
  runCallbackPipeline,
  toRawCallback,
} from '@cryptopay/provider-kit';
import { type BlockonomicsAdapter } from '../src/index.js';
import { BTC } from './support.js';

const FIAT: FiatAmount = { currency: 'USD', minor: 2500n };

/** One callback as the endpoint received and processed it. */
export interface Delivery {
  readonly raw: RawCallback;
  readonly stage: PipelineStage;
  readonly notification: CallbackNotification | null;
  readonly invoiceId: string | null;
  readonly outcome: CallbackOutcome;
  readonly acknowledgement: Acknowledgement;
  /** The invoice as stored once this delivery was applied; null when it reached no invoice. */
  readonly invoiceAfter: Invoice | null;
}

/**
 * A merchant's callback endpoint over real HTTP that treats each callback as the core does:
 * provider-kit's pipeline (verify → parse → find → bind with the core's policy), then each delivery
 * key applied once to the stored invoice by the invoice package's rules, then the adapter's answer.
 */
export class CallbackEndpoint {
  readonly deliveries: Delivery[] = [];
  /** Exceptions the pipeline threw: a conforming adapter throws none. */
  readonly errors: unknown[] = [];
  readonly invoices = new InMemoryInvoiceRepository();
  private readonly applied = new Set<string>();
  private created = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    public adapter: BlockonomicsAdapter,
  ) {}

  static async start(adapter: BlockonomicsAdapter): Promise<CallbackEndpoint> {
    const server = createServer();
    const port = await listenOnFreePort(server);
    const endpoint = new CallbackEndpoint(server, `http://127.0.0.1:${port}`, adapter);
    server.on('request', (request, response) => void endpoint.receive(request, response));
    return endpoint;
  }

  get callbackBaseUrl(): string {
    return `${this.baseUrl}/v1/callbacks/${this.adapter.name}`;
  }

  /** An invoice as the core opens one: the adapter's payment request, stored (a sandbox's allows test payments). */
  async createInvoice(coin: CoinDefinition = BTC, policy: InvoicePolicy = DEFAULT_INVOICE_POLICY): Promise<Invoice> {
    const id = `inv_${++this.created}`;
    const request = await this.adapter.createPaymentRequest({ invoiceId: id, coin, fiat: FIAT, callbackUrl: this.callbackBaseUrl });
    const { invoice } = createInvoice({ id, provider: this.adapter.name, coin: coin.code, orderId: `order-${id}`, fiat: FIAT, ...request }, policy, new Date());
    await this.invoices.create(invoice);
    return invoice;
  }

  async invoiceAt(address: string): Promise<Invoice> {
    const invoice = await this.invoices.findByAddress(this.adapter.name, address);
    if (!invoice) throw new Error(`no invoice has address ${address}`);
    return invoice;
  }

  /** Deliveries whose URL mentions `text` (an address, a txid), in arrival order. */
  deliveriesMentioning(text: string): Delivery[] {
    return this.deliveries.filter((delivery) => decodeURIComponent(delivery.raw.target).includes(text));
  }

  /** Runs one callback through the pipeline against `invoices` (another repository: as if none were ours). */
  async process(raw: RawCallback, invoices: InvoiceRepository = this.invoices): Promise<Delivery> {
    const find = (locator: InvoiceLocator) =>
      locator.by === 'address' ? invoices.findByAddress(this.adapter.name, locator.address) : invoices.findById(locator.invoiceId);
    const run = await runCallbackPipeline(this.adapter, raw, { findInvoice: find, apply: (bound) => this.apply(bound, invoices) });
    const outcome = 'result' in run ? run.result : run.outcome;
    return {
      raw,
      stage: run.stage,
      notification: run.notification,
      invoiceId: run.invoice?.id ?? null,
      outcome,
      acknowledgement: this.adapter.acknowledge(outcome),
      invoiceAfter: run.invoice ? await invoices.findById(run.invoice.id) : null,
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async apply({ notification, invoice, observation }: BoundCallback, invoices: InvoiceRepository): Promise<CallbackOutcome> {
    if (this.applied.has(notification.deliveryKey)) return { kind: 'duplicate' };
    this.applied.add(notification.deliveryKey);
    const stored = await invoices.findById(invoice.id);
    const change = applyObservation(stored!, observation, new Date());
    if (change.invoice !== stored) await invoices.update(change.invoice);
    return { kind: 'applied' };
  }

  private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const delivery = await this.process(toRawCallback(request, await readRawBody(request), this.baseUrl));
      this.deliveries.push(delivery);
      const { status, contentType, body } = delivery.acknowledgement;
      response.writeHead(status, { 'content-type': contentType }).end(body);
    } catch (error) {
      this.errors.push(error);
      response.writeHead(500, { 'content-type': 'text/plain' }).end('the callback pipeline threw');
    }
  }
}
