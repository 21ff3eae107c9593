import { classifyConfirmations, type ObservationKind, providerConfirmationPolicy, type ProviderConfirmationPolicy } from '@cryptopay/invoice';
import { PROVIDER_NAME } from './provider-name.js';

/** Confirmations a payment needs to count, per the merchant's setting (the plugins recommend 2). */
export type RequiredConfirmations = 0 | 1 | 2;
export const REQUIRED_CONFIRMATION_CHOICES: readonly RequiredConfirmations[] = [0, 1, 2];
export const DEFAULT_REQUIRED_CONFIRMATIONS: RequiredConfirmations = 2;

/** Callback `status` values and what they mean; `-1` never counts as money. */
export type CallbackStatus = -1 | 0 | 1 | 2;

/** The invoice domain's confirmation rule, one policy per setting. */
const POLICIES: Readonly<Record<RequiredConfirmations, ProviderConfirmationPolicy>> = {
  0: providerConfirmationPolicy(PROVIDER_NAME, 0),
  1: providerConfirmationPolicy(PROVIDER_NAME, 1),
  2: providerConfirmationPolicy(PROVIDER_NAME, 2),
};

/**
 * What a callback status means for the payment: `-1` reverted; otherwise the status is the
 * confirmation count (`2` meaning two or more), classified by the invoice domain's rule — confirmed
 * once it reaches the required confirmations, except a zero-conf RBF payment, which stays `seen`.
 */
export function observationKind(status: CallbackStatus, rbf: boolean, required: RequiredConfirmations): ObservationKind {
  if (status < 0) return 'reverted';
  return classifyConfirmations(POLICIES[required], status, rbf);
}
