import { type CoinDefinition, type InvoiceRepository } from '@cryptopay/invoice';
import { type RawCallback } from '@cryptopay/provider-kit';
import { generateCallbackSecret } from '@cryptopay/provider-kit/options';
import { type BlockonomicsAdapter, type BlockonomicsOptions } from '../src/index.js';
import { type BlockonomicsSimulator, type SimulatedOutput, type SimulatedPayOptions } from '../src/simulator/index.js';
import { CallbackEndpoint, type Delivery } from './callback-endpoint.js';
import { adapterFor, BTC, startSimulator } from './support.js';

/** The simulator delivering real HTTP callbacks to an endpoint that processes them as the core does. */
export class CallbackBench {
  private constructor(
    readonly secret: string,
    readonly simulator: BlockonomicsSimulator,
    readonly endpoint: CallbackEndpoint,
  ) {}

  static async start(): Promise<CallbackBench> {
    const secret = generateCallbackSecret();
    const simulator = await startSimulator({ autoCreateStores: false });
    const endpoint = await CallbackEndpoint.start(adapterFor(simulator, { callbackSecret: secret }));
    // The merchant's store, set up as its docs say: the callback URL with the secret.
    simulator.addStore(endpoint.adapter.callbackUrl(endpoint.callbackBaseUrl).reveal());
    return new CallbackBench(secret, simulator, endpoint);
  }

  get adapter(): BlockonomicsAdapter {
    return this.endpoint.adapter;
  }

  get callbackBaseUrl(): string {
    return this.endpoint.callbackBaseUrl;
  }

  /** Verifies and parses with these settings from now on (same secret). */
  configure(options: Partial<BlockonomicsOptions>): void {
    this.endpoint.adapter = adapterFor(this.simulator, { callbackSecret: this.secret, ...options });
  }

  /** A new invoice; its address. */
  async createInvoice(coin: CoinDefinition = BTC): Promise<string> {
    return (await this.endpoint.createInvoice(coin)).address;
  }

  /** Pays and returns the deliveries the endpoint processed for the transaction, in arrival order. */
  async pay(outputs: SimulatedOutput[], options: SimulatedPayOptions = {}): Promise<Delivery[]> {
    const { txid } = await this.simulator.payOutputs(outputs, options);
    return this.endpoint.deliveriesMentioning(txid);
  }

  process(raw: RawCallback, invoices?: InvoiceRepository): Promise<Delivery> {
    return this.endpoint.process(raw, invoices);
  }

  async close(): Promise<void> {
    await this.simulator.close();
    await this.endpoint.close();
  }
}

/** The payment each delivery reported (undefined for a refused or ignored one). */
export function payments(deliveries: readonly Delivery[]) {
  return deliveries.map((delivery) => (delivery.notification && 'payment' in delivery.notification ? delivery.notification.payment : undefined));
}
