import { type Invoice, type InvoiceCreation, type InvoiceIdempotencyKey, type InvoiceRepository, type InvoiceUpdate, type KeyedInvoice, type StoredInvoice } from '@cryptopay/invoice';
import { type MerchantStore } from '../merchants/merchant-store.js';
import { type WebhookEventEntry, type WebhookStorePort } from '../webhooks/webhook-store.port.js';

/**
 * The store port of the payments module: what `PaymentsModule` needs from a store, owned here and
 * implemented by `@cryptopay/store` (PostgreSQL or PGlite), which the app composes with it. Its
 * invoice part is the `InvoiceRepository` port of `@cryptopay/invoice`, whose contract tests every
 * implementation runs; a store reports its failures with that package's errors
 * (`StoreUnavailableError`, `DuplicatePaymentError`, `StoreQueryError`).
 */
export interface PaymentsStore {
  /** Each call atomic on its own. */
  readonly invoices: StoreInvoices;
  readonly deliveries: CallbackDeliveryLog;
  /** When each invoice is next reconciled with its provider. */
  readonly reconciliations: ReconciliationQueue;
  /** Merchants, their API keys and provider accounts. */
  readonly merchants: MerchantStore;
  /** Outbound webhooks: endpoints, the outbox's deliveries, claims and attempts. */
  readonly webhooks: WebhookStorePort;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws (its
   * error rethrown). Inside, only `tx` may be used.
   */
  transaction<T>(work: (tx: PaymentsStoreTransaction) => Promise<T>): Promise<T>;
  /** Readiness: resolves when the database answers. */
  ping(): Promise<void>;
  /** On shutdown, once requests have stopped. */
  close(): Promise<void>;
}

/** The invoices, their update able to carry the log entry of the callback that caused it. */
export interface StoreInvoices extends InvoiceRepository {
  create(invoice: Invoice, creation?: OutboxInvoiceCreation): Promise<void>;
  createOnce(invoice: Invoice, creation: OutboxInvoiceCreation, key: InvoiceIdempotencyKey): Promise<KeyedInvoice | null>;
  update(invoice: Invoice, change?: CallbackInvoiceUpdate): Promise<void>;
}

export interface CallbackInvoiceUpdate extends InvoiceUpdate {
  /** The `applied` log entry of the callback that caused the change: written in the same write, or not at all. */
  readonly delivery?: CallbackDeliveryEntry;
  /** The webhook events of the change (the outbox): written in the same write, or not at all. */
  readonly events?: readonly WebhookEventEntry[];
}

export interface OutboxInvoiceCreation extends InvoiceCreation {
  /** The webhook events of the creation: written with the invoice, or not at all. */
  readonly events?: readonly WebhookEventEntry[];
}

/** What one transaction can do; everything in it commits together or not at all. */
export interface PaymentsStoreTransaction {
  readonly invoices: LockingInvoices;
  readonly deliveries: Pick<CallbackDeliveryLog, 'record'>;
}

/** The invoices inside a transaction: reads that lock what they return until it ends. */
export interface LockingInvoices extends StoreInvoices {
  /** Reads the invoice and locks it: a concurrent change of it, on any instance, waits for this transaction. */
  findByIdForUpdate(id: string): Promise<StoredInvoice | null>;
  /** The expiry sweep's claim: up to `limit` due invoices, locked, passing over those another transaction holds. */
  claimDueForTimeCheck(now: Date, limit: number): Promise<StoredInvoice[]>;
}

/**
 * When each invoice is next reconciled. Due invoices are claimed with `SKIP LOCKED` and leased (their
 * time moved to the lease's end in the same statement), so each is asked about by one instance and
 * an instance that dies leaves it due again.
 */
export interface ReconciliationQueue {
  claimDue(now: Date, limit: number, leaseUntil: Date): Promise<StoredInvoice[]>;
  /** null: never again. */
  schedule(invoiceId: string, at: Date | null): Promise<void>;
  /** Moves one invoice's next reconciliation to `at` if it is later (never one that is not scheduled). */
  bringForward(invoiceId: string, at: Date): Promise<void>;
  /** {@link bringForward} for every scheduled invoice; returns how many moved. */
  bringAllForward(at: Date): Promise<number>;
}

/** The callback log: every delivery, whatever its verdict, so an operator can see and replay them. */
export interface CallbackDeliveryLog {
  record(entry: CallbackDeliveryEntry): Promise<unknown>;
  /** Many entries, in as few writes as the store can; their ids increase in the given order. */
  recordMany(entries: readonly CallbackDeliveryEntry[]): Promise<void>;
  /** Deletes up to `limit` entries received before `olderThan` (the oldest first) and says how many; safe to run on several instances at once. */
  prune(olderThan: Date, limit: number): Promise<number>;
  /** Newest first. */
  list(query: DeliveryQuery): Promise<DeliveryPage>;
}

export type DeliveryVerdict = 'applied' | 'duplicate' | 'unmatched' | 'rejected' | 'retry-later';
/** How a log entry came about: a provider's `callback`, or the reconciler reading the provider's records (`reconcile`). */
export type DeliverySource = 'callback' | 'reconcile';

/** One callback as received and answered, like a gateway's "Merchant > Logs" entry. */
export interface CallbackDeliveryEntry {
  readonly provider: string;
  readonly receivedAt: Date;
  readonly remoteIp: string | null;
  readonly method: string;
  /** The request target with secrets already redacted; stored as given. */
  readonly target: string;
  /** The subset of headers worth keeping, redacted. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body, redacted. */
  readonly body: string;
  readonly verdict: DeliveryVerdict;
  readonly reason: string | null;
  readonly invoiceId: string | null;
  readonly deliveryKey: string | null;
  readonly responseStatus: number;
  readonly durationMs: number;
  /** Default `callback`. */
  readonly source?: DeliverySource;
}

export interface CallbackDelivery extends CallbackDeliveryEntry {
  /** Assigned by the store, increasing in recording order; pass it as `before` to page on. */
  readonly id: string;
  readonly source: DeliverySource;
}

export interface DeliveryQuery {
  readonly provider?: string;
  readonly verdict?: DeliveryVerdict;
  readonly invoiceId?: string;
  /** Only the deliveries for invoices of this merchant (a merchant's API key sees no others). */
  readonly merchantId?: string;
  /** A cursor: only deliveries recorded before the one with this id (a previous page's `nextCursor`). */
  readonly before?: string;
  /** Page size, a whole number from 1. */
  readonly limit: number;
}

export interface DeliveryPage {
  readonly deliveries: readonly CallbackDelivery[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

/** Whether `value` has the shape of a {@link PaymentsStore}: checked once, at start-up, as types are gone by then. */
export function isPaymentsStore(value: unknown): value is PaymentsStore {
  const store = value as Partial<Record<keyof PaymentsStore, unknown>> | null;
  const invoices = store?.invoices as Partial<Record<keyof StoreInvoices, unknown>> | undefined;
  const deliveries = store?.deliveries as Partial<Record<keyof CallbackDeliveryLog, unknown>> | undefined;
  const reconciliations = store?.reconciliations as Partial<Record<keyof ReconciliationQueue, unknown>> | undefined;
  const webhooks = store?.webhooks as Partial<Record<keyof WebhookStorePort, unknown>> | undefined;
  return (
    typeof store?.transaction === 'function' &&
    typeof store.ping === 'function' &&
    typeof store.close === 'function' &&
    typeof invoices?.findById === 'function' &&
    typeof invoices.update === 'function' &&
    typeof deliveries?.recordMany === 'function' &&
    typeof deliveries.prune === 'function' &&
    typeof deliveries.list === 'function' &&
    typeof reconciliations?.claimDue === 'function' &&
    typeof webhooks?.claimDue === 'function'
  );
}
