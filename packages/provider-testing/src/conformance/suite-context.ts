import { randomBytes, randomUUID } from 'node:crypto';
import { type CoinDefinition, type FiatAmount, type Invoice } from '@cryptopay/invoice';
import { type PaymentRequest, type ProviderAdapter, type RawCallback } from '@cryptopay/provider-kit';
import { DEFAULT_FIAT, invoiceFor } from '../fixtures/invoice-fixture.js';
import { check, describeDeliveries } from './explain.js';
import { type ConformanceHarness, type PayOptions } from './harness.js';
import { InvoiceBook } from './invoice-book.js';
import { processCallback, type ProcessedCallback } from './pipeline.js';
import { CallbackReceiver, rawText } from './receiver.js';

export interface CreatedInvoice {
  readonly request: PaymentRequest;
  readonly invoice: Invoice;
}

export interface PaidInvoice extends CreatedInvoice {
  readonly txid: string;
  readonly amount: bigint;
  /** The deliveries that mention the txid, in arrival order. */
  readonly deliveries: ProcessedCallback[];
  /** Every delivery the receiver got while the harness paid, for saying what came when none fits. */
  readonly duringPayment: ProcessedCallback[];
}

/** A genuine callback, and what names the payment it reports (not secret: the invoice id, address and txid). */
export interface GenuineCallback {
  readonly raw: RawCallback;
  readonly paid: PaidInvoice;
  readonly publicValues: readonly string[];
}

/** The state one conformance run shares between its tests. */
export class SuiteContext {
  readonly invoices = new InvoiceBook();

  private constructor(
    readonly harness: ConformanceHarness,
    readonly receiver: CallbackReceiver,
    readonly adapter: ProviderAdapter,
    readonly coin: CoinDefinition,
  ) {}

  static async start(harness: ConformanceHarness): Promise<SuiteContext> {
    const receiver = await CallbackReceiver.start();
    try {
      const { adapter, coin } = await harness.setup(receiver.callbackBaseUrl(harness.providerName));
      const context = new SuiteContext(harness, receiver, adapter, coin);
      receiver.handleWith((raw) => context.process(raw));
      return context;
    } catch (error) {
      await receiver.close();
      throw error;
    }
  }

  get fiat(): FiatAmount {
    return this.harness.fiat ?? DEFAULT_FIAT;
  }

  get callbackBaseUrl(): string {
    return this.receiver.callbackBaseUrl(this.harness.providerName);
  }

  async createInvoice(): Promise<CreatedInvoice> {
    // Invoice ids are UUIDs, as the core creates them: an adapter may refuse any other.
    const id = randomUUID();
    const request = await this.adapter.createPaymentRequest({ invoiceId: id, coin: this.coin, fiat: this.fiat, callbackUrl: this.callbackBaseUrl });
    const invoice = invoiceFor({ id, provider: this.adapter.name, coin: this.coin, fiat: this.fiat, request });
    this.invoices.add(invoice);
    return { request, invoice };
  }

  /** Pays a new invoice and returns the deliveries its transaction produced, in arrival order. */
  async payNewInvoice(amount?: bigint, options: PayOptions = {}): Promise<PaidInvoice> {
    const created = await this.createInvoice();
    const txid = options.txid ?? randomBytes(32).toString('hex');
    const paid = amount ?? created.request.amountDue;
    const before = this.receiver.deliveries.length;
    await this.harness.pay(created.request, paid, { ...options, txid });
    const duringPayment = this.receiver.deliveries.slice(before);
    const deliveries = this.receiver.deliveries.filter((delivery) => rawText(delivery.raw).includes(txid));
    return { ...created, txid, amount: paid, deliveries, duringPayment };
  }

  /** A genuine callback that the core applied, as the provider delivered it for a fresh paid invoice. */
  async genuineCallback(): Promise<GenuineCallback> {
    const paid = await this.payNewInvoice();
    const applied = paid.deliveries.find((delivery) => delivery.stage === 'apply' && delivery.outcome.kind === 'applied');
    check(applied !== undefined, () => `paying invoice ${paid.invoice.id} (txid ${paid.txid}) delivered no callback the core applied: ${describeDeliveries(paid.deliveries.length > 0 ? paid.deliveries : paid.duringPayment, this.adapter.secrets)}`);
    return { raw: applied.raw, paid, publicValues: [paid.invoice.id, paid.request.address, paid.txid] };
  }

  process(raw: RawCallback, invoices: InvoiceBook = this.invoices): Promise<ProcessedCallback> {
    return processCallback(this.adapter, invoices, raw);
  }

  async stop(): Promise<void> {
    try {
      await this.harness.teardown();
    } finally {
      await this.receiver.close();
    }
  }
}
