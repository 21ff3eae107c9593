import { randomBytes, randomUUID } from 'node:crypto';
import { type CoinDefinition, type FiatAmount, type Invoice } from '@cryptopay/invoice';
import { type PaymentRequest } from '../contract/payment-request.js';
import { type ProviderAdapter } from '../contract/provider-adapter.js';
import { type RawCallback } from '../contract/raw-callback.js';
import { type ConformanceHarness, type PayOptions } from './harness.js';
import { invoiceFor } from './invoice-fixture.js';
import { ConformanceLedger } from './ledger.js';
import { InvoiceBook, processCallback, type ProcessedCallback } from './pipeline.js';
import { CallbackReceiver } from './receiver.js';

export const DEFAULT_FIAT: FiatAmount = Object.freeze({ currency: 'USD', minor: 2500n });

export interface CreatedInvoice {
  readonly request: PaymentRequest;
  readonly invoice: Invoice;
}

/** The state one conformance run shares between its tests. */
export class SuiteContext {
  readonly invoices = new InvoiceBook();
  readonly ledger = new ConformanceLedger();

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
    const request = await this.adapter.createPaymentRequest({
      invoiceId: id,
      coin: this.coin,
      fiat: this.fiat,
      callbackUrl: this.callbackBaseUrl,
    });
    const invoice = invoiceFor(id, this.adapter.name, this.coin, this.fiat, request);
    this.invoices.add(invoice);
    return { request, invoice };
  }

  /** Pays a new invoice and returns the deliveries its transaction produced, in arrival order. */
  async payNewInvoice(amount?: bigint, options: PayOptions = {}): Promise<PaidInvoice> {
    const created = await this.createInvoice();
    const txid = options.txid ?? randomBytes(32).toString('hex');
    const paid = amount ?? created.request.amountDue;
    await this.harness.pay(created.request, paid, { ...options, txid });
    const deliveries = this.receiver.deliveriesMentioning(txid).filter((d) => d.notification?.observation.address === created.request.address);
    return { ...created, txid, amount: paid, deliveries };
  }

  /** A genuine callback, as the provider delivered it for a fresh paid invoice. */
  async genuineCallback(): Promise<RawCallback> {
    const [first] = (await this.payNewInvoice()).deliveries;
    if (!first) throw new Error(`${this.harness.providerName}: paying an invoice delivered no callback to the receiver`);
    return first.raw;
  }

  process(raw: RawCallback, invoices: InvoiceBook = this.invoices): Promise<ProcessedCallback> {
    return processCallback(this.adapter, invoices, this.ledger, raw);
  }

  async stop(): Promise<void> {
    try {
      await this.harness.teardown();
    } finally {
      await this.receiver.close();
    }
  }
}

export interface PaidInvoice extends CreatedInvoice {
  readonly txid: string;
  readonly amount: bigint;
  readonly deliveries: ProcessedCallback[];
}
