import { type Invoice } from '@cryptopay/invoice';
import { type Request } from 'express';

/** The merchant every invoice and API token belongs to until merchants exist. */
export const DEFAULT_MERCHANT = 'default';

/**
 * The merchant whose webhooks the API caller manages. The one place that decides it: today every
 * API token is a platform token, which manages the `default` merchant's endpoints; with merchants,
 * the request's principal decides (and its `webhooks:manage` scope).
 */
export function callerMerchant(_request: Request): string {
  return DEFAULT_MERCHANT;
}

/** The merchant an invoice's events go to (its endpoints). */
export function invoiceMerchant(_invoice: Invoice): string {
  return DEFAULT_MERCHANT;
}
