import { type CoinDefinition } from '@cryptopay/invoice';
import { type RawCallback } from '@cryptopay/provider-kit';
import { CallbackReceiver, ConformanceLedger, InvoiceBook, invoiceFor, processCallback, type ProcessedCallback } from '@cryptopay/provider-kit/conformance';
import { type BlockonomicsAdapter, type BlockonomicsOptions, generateCallbackSecret } from '../src/index.js';
import { type BlockonomicsSimulator, type SimulatedOutput, type SimulatedPayOptions } from '../src/simulator/index.js';
import { adapterFor, BTC, startSimulator } from './support.js';

const FIAT = { currency: 'USD', minor: 2500n };

/**
 * The simulator delivering real HTTP callbacks to a receiver that runs them through the adapter
 * (verify → parse → find → bind → exactly-once apply → acknowledge), as the core does.
 */
export class CallbackBench {
  readonly secret = generateCallbackSecret();
  readonly invoices = new InvoiceBook();
  ledger = new ConformanceLedger();
  adapter: BlockonomicsAdapter;
  private created = 0;

  private constructor(
    readonly simulator: BlockonomicsSimulator,
    readonly receiver: CallbackReceiver,
  ) {
    this.adapter = adapterFor(simulator, { callbackSecret: this.secret });
    receiver.handleWith((raw) => this.process(raw));
  }

  static async start(): Promise<CallbackBench> {
    return new CallbackBench(await startSimulator(), await CallbackReceiver.start());
  }

  get callbackBaseUrl(): string {
    return this.receiver.callbackBaseUrl('blockonomics');
  }

  /** Verifies and parses with these settings from now on (same secret). */
  configure(options: Partial<BlockonomicsOptions>): void {
    this.adapter = adapterFor(this.simulator, { callbackSecret: this.secret, ...options });
    this.ledger = new ConformanceLedger();
  }

  async createInvoice(coin: CoinDefinition = BTC): Promise<string> {
    const id = `inv_${++this.created}`;
    const request = await this.adapter.createPaymentRequest({ invoiceId: id, coin, fiat: FIAT, callbackUrl: this.callbackBaseUrl });
    this.invoices.add(invoiceFor(id, 'blockonomics', coin, FIAT, request));
    return request.address;
  }

  /** Pays and returns the deliveries the receiver processed for the transaction, in arrival order. */
  async pay(outputs: SimulatedOutput[], options: SimulatedPayOptions = {}): Promise<ProcessedCallback[]> {
    const { txid } = await this.simulator.payOutputs(outputs, options);
    return this.receiver.deliveriesMentioning(txid);
  }

  process(raw: RawCallback, invoices: InvoiceBook = this.invoices): Promise<ProcessedCallback> {
    return processCallback(this.adapter, invoices, this.ledger, raw);
  }

  async close(): Promise<void> {
    await this.simulator.close();
    await this.receiver.close();
  }
}

export function observations(deliveries: readonly ProcessedCallback[]) {
  return deliveries.map((delivery) => delivery.notification?.observation);
}
