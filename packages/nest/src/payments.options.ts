import { type CoinRegistry, type InvoicePolicy } from '@cryptopay/invoice';
import { type PaymentsMetrics } from './observability/payments-metrics.js';
import { type Store } from '@cryptopay/store';

/** What the embedding app configures; validated once by the module at start-up (`payments.options.validation.ts`). */
export interface PaymentsModuleOptions {
  /** The externally reachable base URL; callbacks are registered as `<publicUrl>/v1/callbacks/<provider>`. */
  readonly publicUrl: string;
  /** Where invoices, the payment ledger and the delivery log live; the module closes it on shutdown. */
  readonly store: Store;
  /** The coins invoices can be priced in (default: the invoice package's registry). */
  readonly coins?: CoinRegistry;
  /** Prometheus metrics; pass the same instance's `idempotencyHooks()` to the idempotency module. */
  readonly metrics?: PaymentsMetrics;
  /** Bearer tokens accepted by the invoice and deliveries APIs. */
  readonly apiTokens: readonly string[];
  /** The rules new invoices are held to (expiry, tolerance, test payments); unset fields keep the defaults. */
  readonly policies?: Partial<InvoicePolicy>;
  /** Reverse proxies (IPs or CIDR ranges) whose `X-Forwarded-For` is believed when logging a callback's source. */
  readonly trustedProxies?: readonly string[];
  /** How often the expiry sweep runs, in milliseconds (default 10 s); 0 disables it. */
  readonly sweepIntervalMs?: number;
  /** How the callback log is written off the response path; see {@link DeliveryLogOptions}. */
  readonly deliveryLog?: DeliveryLogOptions;
}

/**
 * The callback log is queued in memory and written in batches. An applied callback's entry is
 * written in the transaction that applies it instead, so it is never lost.
 */
export interface DeliveryLogOptions {
  /** Entries per INSERT, and the queue length that starts a write at once (default 200, at most 1 000). */
  readonly batchSize?: number;
  /** The longest an entry waits in the queue, in milliseconds (default 250). */
  readonly flushIntervalMs?: number;
  /** Beyond this many queued entries new ones are dropped and counted (default 5 000). */
  readonly maxQueued?: number;
  /** At most one duplicate of a delivery is logged per this many milliseconds, the rest only counted (default 60 000; 0 logs every one). */
  readonly duplicateIntervalMs?: number;
}

/** What the callback log does unless configured. */
export const DELIVERY_LOG_DEFAULTS: Required<DeliveryLogOptions> = { batchSize: 200, flushIntervalMs: 250, maxQueued: 5_000, duplicateIntervalMs: 60_000 };
