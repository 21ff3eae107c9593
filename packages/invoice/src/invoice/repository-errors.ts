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

/**
 * A write listed one transaction output `(coin, txid, address)` twice: the durable guard against
 * counting a payment twice refused it, and nothing was written. The rules of this package never
 * do that, so it is a bug upstream, never a provider's retry.
 */
export class DuplicatePaymentError extends Error {
  override readonly name = 'DuplicatePaymentError';

  constructor(
    readonly invoiceId: string,
    options?: { cause?: unknown },
  ) {
    super(`invoice ${invoiceId}: the payment ledger already holds this (coin, txid, address); nothing was written`, options);
  }
}

/** Why a store could not be used; every reason is transient from the caller's point of view. */
export type StoreUnavailableReason = 'unreachable' | 'terminated' | 'timeout' | 'shutdown' | 'overloaded' | 'contention' | 'closed';

/**
 * The store is down, unreachable, too slow or shutting down: nothing was stored. A callback
 * handler answers 503 so the provider retries; it is never a programming error.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  constructor(
    readonly reason: StoreUnavailableReason,
    options?: { cause?: unknown },
  ) {
    super(`the database is unavailable (${reason}); nothing was stored, retry later`, options);
  }
}

/**
 * A value the caller passed cannot be used: a listing's cursor or limit (`field` names it), or text
 * the store cannot keep (`field` is `text`). Nothing was written.
 */
export class StoreQueryError extends RangeError {
  override readonly name = 'StoreQueryError';

  constructor(
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
