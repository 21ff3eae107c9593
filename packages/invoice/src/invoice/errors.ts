export type InvoiceErrorCode = 'invalid-invoice' | 'invalid-policy' | 'invalid-observation' | 'conflicting-observation';

/**
 * A typed rejection of invoice input, a policy or a payment observation. `field` names what was
 * wrong; the message is safe to show to an API caller.
 */
export class InvoiceError extends Error {
  override readonly name = 'InvoiceError';

  constructor(
    readonly code: InvoiceErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
