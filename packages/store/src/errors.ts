/** Why the database could not be used; every reason is transient from the caller's point of view. */
export type StoreUnavailableReason =
  | 'unreachable'
  | 'terminated'
  | 'timeout'
  | 'shutdown'
  | 'overloaded'
  | 'contention'
  | 'closed';

/**
 * The database is down, unreachable, too slow or shutting down: nothing was stored. A callback
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

/** The store's options are unusable; the message names the option and never echoes a secret. */
export class StoreConfigError extends Error {
  override readonly name = 'StoreConfigError';

  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The payment ledger's unique key `(invoice_id, coin, txid, address)` refused a second row for
 * one transaction output: the durable guard against counting a payment twice. Nothing was written.
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

/**
 * A value the caller passed cannot be used: a listing's cursor or limit (`field` names it), or text
 * the database cannot store (`field` is `text`). Nothing was written.
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
