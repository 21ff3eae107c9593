import { type CoinDefinition, type FiatAmount } from '@cryptopay/invoice';
import { type PaymentRequest, type ProviderAdapter, type RawCallback } from '@cryptopay/provider-kit';

export interface PayOptions {
  /** The paying transaction; the harness makes one up when absent. */
  readonly txid?: string;
  /** Deliver every callback this many extra times (as provider retries do). */
  readonly duplicates?: number;
  /** Deliver the lower (unconfirmed) state after the confirmed one. */
  readonly reorder?: boolean;
}

export interface TamperedCallback {
  readonly name: string;
  readonly callback: RawCallback;
}

/** What a provider package supplies to run the shared conformance suite against its simulator. */
export interface ConformanceHarness {
  readonly providerName: string;
  /** The invoice amount the suite asks payment requests for; default 25.00 USD. */
  readonly fiat?: FiatAmount;
  /**
   * Starts the provider's simulator (real HTTP); returns an adapter configured against it.
   * `callbackBaseUrl` is `http://127.0.0.1:<port>/v1/callbacks/<name>`, served by the suite's receiver.
   */
  setup(callbackBaseUrl: string): Promise<{ adapter: ProviderAdapter; coin: CoinDefinition }>;
  teardown(): Promise<void>;
  /**
   * Makes the simulator pay the request's address and deliver its callbacks (unconfirmed →
   * confirmed) over HTTP to the registered callback URL; resolves when they are delivered.
   */
  pay(request: PaymentRequest, amount: bigint, options?: PayOptions): Promise<void>;
  /** Tampered copies of a genuine callback that must be refused as forged (401/403). */
  forge(genuine: RawCallback): TamperedCallback[];
  /** Broken copies of a genuine callback that must be refused (400 or 401/403), never throw. */
  malform(genuine: RawCallback): TamperedCallback[];
  /**
   * Optional: authentic callbacks, made from a genuine one, that must change nothing (a dashboard
   * test payment while test payments are off, a notification without a payment). The suite checks
   * that `parse` returns them as ignored notifications, acknowledged with success and applied nowhere.
   */
  ignorable?(genuine: RawCallback): TamperedCallback[] | Promise<TamperedCallback[]>;
  /**
   * Required when the adapter can reconcile (`capabilities.reconciliation`): makes the provider's API
   * that `reconcile` reads fail as an outage (5xx) for the next call(s) — every retry of one call.
   */
  breakReconciliation?(): void | Promise<void>;
}
