import { randomBytes } from 'node:crypto';
import { parseQueryString, valuesOf } from '@cryptopay/provider-kit';

/** Our query parameters on the callback URL: they make it unique per invoice (BlockBee keys addresses by it). */
export const INVOICE_PARAM = 'invoice';
export const NONCE_PARAM = 'nonce';

/** Whether `text` can name an invoice of ours: nothing else is looked up (no NUL or other bytes a store refuses). */
export { isInvoiceId } from '@cryptopay/invoice';

/** A fresh per-invoice nonce: 128 random bits, URL-safe. */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * `callbackUrl` with the invoice id and nonce appended as properly encoded query parameters. The
 * result is the address's identity at BlockBee: it is stored and sent again, byte for byte, to
 * the logs endpoint.
 */
export function buildCallbackUrl(callbackUrl: string, invoiceId: string, nonce: string): string {
  const url = new URL(callbackUrl);
  url.hash = '';
  url.searchParams.delete(INVOICE_PARAM);
  url.searchParams.delete(NONCE_PARAM);
  url.searchParams.append(INVOICE_PARAM, invoiceId);
  url.searchParams.append(NONCE_PARAM, nonce);
  return url.href;
}

/**
 * The nonce inside a stored callback URL (an invoice's providerReference), read as a delivery's
 * query is read; '' when it has none, or more than one.
 */
export function nonceOfCallbackUrl(callbackUrl: string | null): string {
  if (callbackUrl === null) return '';
  const query = parseQueryString(callbackUrl);
  const values = query.ok ? valuesOf(query.parameters, NONCE_PARAM) : [];
  return values.length === 1 ? (values[0] as string) : '';
}
