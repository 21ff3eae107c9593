import { type ObservationKind } from '@cryptopay/invoice';

/** Confirmations a payment needs to count, per the merchant's setting (the plugins recommend 2). */
export type RequiredConfirmations = 0 | 1 | 2;
export const REQUIRED_CONFIRMATION_CHOICES: readonly RequiredConfirmations[] = [0, 1, 2];
export const DEFAULT_REQUIRED_CONFIRMATIONS: RequiredConfirmations = 2;

/** Callback `status` values and what they mean; `-1` never counts as money. */
export type CallbackStatus = -1 | 0 | 1 | 2;

/**
 * What a callback status means for the payment: `-1` reverted; otherwise confirmed once the
 * status reaches the required confirmations, except a zero-conf RBF payment, which stays `seen`
 * because the payer can still replace it.
 */
export function observationKind(status: CallbackStatus, rbf: boolean, required: RequiredConfirmations): ObservationKind {
  if (status < 0) return 'reverted';
  if (status === 0 && rbf) return 'seen';
  return status >= required ? 'confirmed' : 'seen';
}
