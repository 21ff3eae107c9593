import { type CoinRegistry, type InvoicePolicy } from '@cryptopay/invoice';
import { type ProviderAccountFactory } from '@cryptopay/provider-kit';
import { type CredentialKeyRing } from './merchants/credential-keys.js';
import { type PaymentsMetrics } from './observability/payments-metrics.js';
import { type ReconciliationOptions, type ResolvedReconciliationOptions } from './reconciliation/reconciliation.options.js';
import { type PaymentsStore } from './store/payments-store.js';
import { type ResolvedWebhookOptions, type WebhookOptions } from './webhooks/webhook.options.js';

/** What the embedding app configures; validated once by the module at start-up (`payments.options.validation.ts`). */
export interface PaymentsModuleOptions {
  /** The externally reachable base URL; callbacks are registered as `<publicUrl>/v1/callbacks/<provider>`. */
  readonly publicUrl: string;
  /** Where invoices, the payment ledger and the delivery log live (`createStore()` of `@cryptopay/store`); the module closes it on shutdown. */
  readonly store: PaymentsStore;
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
  /** When and how providers are asked about invoices whose callbacks may be lost; see {@link ReconciliationOptions}. */
  readonly reconciliation?: ReconciliationOptions;
  /** Many merchants: their API keys and own provider accounts (docs/merchants.md). */
  readonly merchants?: MerchantsOptions;
  /** Outbound webhooks to the merchants' endpoints; see {@link WebhookOptions}. */
  readonly webhooks?: WebhookOptions;
}

/** Merchants (issue 21): how their credentials are encrypted and which providers they may add accounts of. */
export interface MerchantsOptions {
  /**
   * `CREDENTIALS_KEYS`: key-encryption keys as `kid:base64-of-32-bytes`, comma-separated; the first
   * encrypts, all decrypt. Without them, API keys and provider accounts cannot be created (503).
   */
  readonly credentialKeys?: string;
  /** The providers merchants may add accounts of: each provider registration's `accounts`. */
  readonly accounts?: readonly ProviderAccountFactory[];
  /** Options every account of a provider starts from (sandbox: the simulator's; live: trusted proxies), by provider. */
  readonly accountDefaults?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** {@link MerchantsOptions} as the services read them. */
export interface ResolvedMerchantsOptions extends MerchantsOptions {
  readonly keyRing: CredentialKeyRing | null;
  readonly accounts: readonly ProviderAccountFactory[];
  readonly accountDefaults: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * The callback log is queued in memory and written in batches. An applied callback's entry is
 * written in the transaction that applies it instead, so it is never lost.
 */
export interface DeliveryLogOptions {
  /** Entries per write, and the queue length that starts a write at once (default 200, at most {@link MAX_DELIVERY_LOG_BATCH}). */
  readonly batchSize?: number;
  /** The longest an entry waits in the queue, in milliseconds (default 250). */
  readonly flushIntervalMs?: number;
  /** Beyond this many queued entries new ones are dropped and counted (default 5 000). */
  readonly maxQueued?: number;
  /** At most one duplicate of a delivery is logged per this many milliseconds, the rest only counted (default 60 000; 0 logs every one). */
  readonly duplicateIntervalMs?: number;
  /**
   * Callbacks refused before authentication (source IP, secret, signature, unknown provider,
   * unreadable body) are logged and stored as a capped summary, and only the first this many per
   * source IP per {@link refusalIntervalMs}; the rest are counted and told in one line per interval (default 10).
   */
  readonly refusalsPerSource?: number;
  /** The window of {@link refusalsPerSource}, in milliseconds (default 60 000). */
  readonly refusalIntervalMs?: number;
  /** Entries older than this many days are deleted by a periodic job (default 30); 0 keeps them forever. */
  readonly retentionDays?: number;
  /** How often that job runs, in milliseconds (default one hour). */
  readonly pruneIntervalMs?: number;
}

/** The options as the module's services read them (`PAYMENTS_MODULE_OPTIONS`): validated, every default filled in. */
export interface ResolvedPaymentsOptions extends Omit<PaymentsModuleOptions, 'reconciliation'> {
  readonly coins: CoinRegistry;
  readonly metrics: PaymentsMetrics;
  readonly policies: InvoicePolicy;
  readonly trustedProxies: readonly string[];
  readonly sweepIntervalMs: number;
  readonly deliveryLog: Required<DeliveryLogOptions>;
  readonly reconciliation: ResolvedReconciliationOptions;
  readonly merchants: ResolvedMerchantsOptions;
  readonly webhooks: ResolvedWebhookOptions;
}

/** What the callback log does unless configured. */
export const DELIVERY_LOG_DEFAULTS: Required<DeliveryLogOptions> = {
  batchSize: 200,
  flushIntervalMs: 250,
  maxQueued: 5_000,
  duplicateIntervalMs: 60_000,
  refusalsPerSource: 10,
  refusalIntervalMs: 60_000,
  retentionDays: 30,
  pruneIntervalMs: 3_600_000,
};
/** The largest `deliveryLog.batchSize`: a batch is one write, which should stay short. */
export const MAX_DELIVERY_LOG_BATCH = 1_000;
/** How often the expiry sweep runs unless configured. */
export const DEFAULT_SWEEP_INTERVAL_MS = 10_000;
