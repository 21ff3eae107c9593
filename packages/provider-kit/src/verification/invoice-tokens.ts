import { createHmac } from 'node:crypto';
import { constantTimeEqual, type Secret } from '../redaction/secret.js';

/**
 * The `invoice-token` scheme: a per-invoice token derived from the invoice id with HMAC-SHA256 under
 * the merchant's secret, put into the callback URL (or body) the provider is given. A callback proves
 * itself by carrying the token of the invoice it names, which `verify` checks without any lookup —
 * so a forged callback is refused before the idempotency claim and the store, like a signature.
 */
export class InvoiceTokens {
  constructor(private readonly secret: Secret) {}

  tokenFor(invoiceId: string): string {
    return createHmac('sha256', this.secret.reveal()).update(invoiceId, 'utf8').digest('base64url');
  }

  /** Constant time, whatever the candidate's length. */
  matches(invoiceId: string, candidate: string | null | undefined): boolean {
    return typeof candidate === 'string' && constantTimeEqual(this.tokenFor(invoiceId), candidate);
  }
}
