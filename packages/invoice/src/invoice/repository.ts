import { type Invoice } from './invoice.js';

/**
 * The invoice part of the store port: what every invoice store implements (PostgreSQL and PGlite
 * in `@cryptopay/store`, the in-memory one here) and what the contract tests hold each to. Reads
 * return copies; a store reports its failures with the errors of `repository-errors.ts`.
 */
export interface InvoiceRepository {
  /**
   * Stores a new invoice with its payments; its id and `(provider, account, address)` must be unused, else
   * {@link InvoiceAlreadyExistsError}.
   */
  create(invoice: Invoice, creation?: InvoiceCreation): Promise<void>;
  /**
   * {@link create}, unless the caller's key already holds an invoice: then nothing is written and
   * that invoice is returned (null when this one was created). The key is stored with the invoice,
   * atomically, so two requests with one key create one invoice.
   */
  createOnce(invoice: Invoice, creation: InvoiceCreation, key: InvoiceIdempotencyKey): Promise<KeyedInvoice | null>;
  /** The invoice a caller created with this key, with the fingerprint of the request that did. */
  findByIdempotencyKey(caller: string, key: string): Promise<KeyedInvoice | null>;
  findById(id: string): Promise<StoredInvoice | null>;
  /** Oldest first. */
  findByOrderId(orderId: string): Promise<StoredInvoice[]>;
  /**
   * The invoice a provider's payment address belongs to, among the invoices of one provider account
   * (null, the default: the environment-configured one); addresses are unique per account.
   */
  findByAddress(provider: string, address: string, providerAccountId?: string | null): Promise<StoredInvoice | null>;
  /**
   * Replaces the stored invoice and its ledger if its version is still `invoice.version - 1`,
   * otherwise throws {@link InvoiceConcurrencyError} and writes nothing; the caller re-reads and
   * re-applies.
   */
  update(invoice: Invoice, change?: InvoiceUpdate): Promise<void>;
  /** Invoices whose time-driven status may have changed by `now` (expiry, end of monitoring), earliest first. */
  findDueForTimeCheck(now: Date, limit: number): Promise<StoredInvoice[]>;
}

/** An invoice as a store keeps it: the aggregate, and what the provider fixed when it was created. */
export interface StoredInvoice extends Invoice {
  /** The smallest payment the provider forwards, in base units of `coin`; null when it has none. */
  readonly minimumPayment: bigint | null;
  /** Where the merchant's checkout page sends the payer back once the invoice is settled; null when it was not given. */
  readonly redirectUrl: string | null;
  /** The merchant the invoice belongs to; `default` for a single-merchant deployment. */
  readonly merchantId: string;
  /** The merchant's provider account it was opened with; null for the environment-configured one. */
  readonly providerAccountId: string | null;
}

/** The merchant every invoice belongs to unless created for another: the single-merchant deployment's. */
export const DEFAULT_MERCHANT_ID = 'default';

/** What a store keeps with a new invoice beside the aggregate. */
export interface InvoiceCreation {
  /** The provider's minimum payment in base units (BlockBee's minimum transaction), if it has one. */
  readonly minimumPayment?: bigint | null;
  /** The merchant's http(s) URL the checkout page links back to once the invoice is settled. */
  readonly redirectUrl?: string | null;
  /**
   * When the reconciler first asks the provider about this invoice's payments (null or absent: never,
   * e.g. a provider that cannot reconcile). Stores that run no reconciler may ignore it.
   */
  readonly reconcileAt?: Date | null;
  /** Its merchant (default {@link DEFAULT_MERCHANT_ID}). */
  readonly merchantId?: string;
  /** Its provider account (default null: the environment-configured one). */
  readonly providerAccountId?: string | null;
}

/** An API caller's `Idempotency-Key` and the fingerprint of the request that used it. */
export interface InvoiceIdempotencyKey {
  /** The caller's scope: keys of different callers never meet. */
  readonly caller: string;
  readonly key: string;
  readonly fingerprint: string;
}

/** The invoice an `Idempotency-Key` created, with the fingerprint of the request that created it. */
export interface KeyedInvoice {
  readonly invoice: StoredInvoice;
  readonly fingerprint: string;
}

/** What the caller knows beside the new version. */
export interface InvoiceUpdate {
  /**
   * The invoice as the caller read it at `invoice.version - 1`: a store may then write only the
   * payments that differ (the version check makes sure it is still the stored one).
   */
  readonly previous?: Invoice;
}
