import { randomUUID } from 'node:crypto';
import {
  applyObservation,
  createInvoice,
  type FiatAmount,
  InMemoryInvoiceRepository,
  type Invoice,
  invoicePolicy,
  type InvoicePolicy,
} from '@cryptopay/invoice';
import { type CallbackOutcome, type RawCallback } from '@cryptopay/provider-kit';
import { CallbackReceiver } from '@cryptopay/provider-kit/conformance';
import { BlockBeeAdapter, type BlockBeeAdapterOptions } from '../../src/index.js';
import { BlockBeeSimulator, type BlockBeeSimulatorOptions } from '../../src/simulator/index.js';
import { BTC, LOOPBACK } from './harness.js';

export interface Delivery {
  readonly raw: RawCallback;
  readonly outcome: CallbackOutcome;
}

/**
 * The core's callback path in miniature, over real HTTP, with the real invoice domain: verify →
 * parse → find → bind → apply once per delivery key → acknowledge. `answerNext` lets a test make
 * the shop fail like a store outage would.
 */
export class Shop {
  readonly invoices = new InMemoryInvoiceRepository();
  readonly deliveries: Delivery[] = [];
  private readonly applied = new Set<string>();
  private readonly outages: CallbackOutcome[] = [];

  private constructor(
    readonly simulator: BlockBeeSimulator,
    readonly receiver: CallbackReceiver,
    readonly adapter: BlockBeeAdapter,
  ) {}

  static async open(options: { simulator?: BlockBeeSimulatorOptions; adapter?: Partial<BlockBeeAdapterOptions> } = {}): Promise<Shop> {
    const simulator = await BlockBeeSimulator.start({ timeScale: 0.0001, ...options.simulator });
    const receiver = await CallbackReceiver.start();
    const adapter = new BlockBeeAdapter({
      apiKey: simulator.apiKey,
      apiBaseUrl: simulator.baseUrl,
      allowlist: LOOPBACK,
      publicKeyPem: simulator.publicKeyPem,
      ...options.adapter,
    });
    const shop = new Shop(simulator, receiver, adapter);
    receiver.handleWith(async (raw) => {
      const outcome = await shop.process(raw);
      shop.deliveries.push({ raw, outcome });
      return { raw, stage: 'apply', notification: null, invoiceId: null, outcome, acknowledgement: adapter.acknowledge(outcome) };
    });
    return shop;
  }

  get callbackUrl(): string {
    return this.receiver.callbackBaseUrl('blockbee');
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
    await this.simulator.close();
    await this.receiver.close();
  }

  private async process(raw: RawCallback): Promise<CallbackOutcome> {
    const outage = this.outages.shift();
    if (outage) return outage;
    const verdict = this.adapter.verifyCallback(raw);
    if (!verdict.accepted) return { kind: 'rejected', status: verdict.status, reason: verdict.reason };
    const notification = this.adapter.parseCallback(raw);
    if ('accepted' in notification) return { kind: 'rejected', status: notification.status, reason: notification.reason };
    if (notification.ignoreReason !== undefined) return { kind: 'unmatched' };
    const invoice = notification.invoice.by === 'id' ? await this.invoices.findById(notification.invoice.invoiceId) : null;
    if (!invoice) return { kind: 'unmatched' };
    const bound = this.adapter.bindToInvoice(notification, invoice, raw);
    if (!bound.accepted) return { kind: 'rejected', status: bound.status, reason: bound.reason };
    if (this.applied.has(notification.deliveryKey)) return { kind: 'duplicate' };
    const change = applyObservation(invoice, notification.observation, new Date());
    if (change.invoice !== invoice) await this.invoices.update(change.invoice);
    this.applied.add(notification.deliveryKey);
    return { kind: 'applied' };
  }
}
