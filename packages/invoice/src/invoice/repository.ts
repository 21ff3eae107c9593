import { type Invoice } from './invoice.js';

/** Raised when an update was based on a version that is no longer the stored one. */
export class InvoiceConcurrencyError extends Error {
  override readonly name = 'InvoiceConcurrencyError';

  constructor(
    readonly invoiceId: string,
    readonly expectedVersion: number,
  ) {
    super(`invoice ${invoiceId} changed since version ${expectedVersion} was read`);
  }
}

/** Raised by `create` when the invoice's id, or its `(provider, address)`, is already stored. */
export class InvoiceAlreadyExistsError extends Error {
  override readonly name = 'InvoiceAlreadyExistsError';

  constructor(
    readonly invoiceId: string,
    readonly conflict: 'id' | 'address',
  ) {
    super(
      conflict === 'id'
        ? `invoice ${invoiceId} already exists`
        : `invoice ${invoiceId}: another invoice already uses this provider's address`,
    );
  }
}

/** The port every invoice store implements (PostgreSQL, PGlite, in-memory). */
export interface InvoiceRepository {
  /** Stores a new invoice; its id and `(provider, address)` must be unused, else {@link InvoiceAlreadyExistsError}. */
  create(invoice: Invoice): Promise<void>;
  findById(id: string): Promise<Invoice | null>;
  findByOrderId(orderId: string): Promise<Invoice[]>;
  /** The invoice a provider's payment address belongs to. */
  findByAddress(provider: string, address: string): Promise<Invoice | null>;
  /**
   * Replaces the stored invoice if its version is still `invoice.version - 1`, otherwise throws
   * {@link InvoiceConcurrencyError}; the caller re-reads and re-applies.
   */
  update(invoice: Invoice): Promise<void>;
  /** Invoices whose time-driven status may have changed by `now` (expiry, end of monitoring). */
  findDueForTimeCheck(now: Date, limit: number): Promise<Invoice[]>;
}
