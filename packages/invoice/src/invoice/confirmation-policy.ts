import { type ObservationKind } from './observation.js';
import { requireText, requireWholeNumber } from './validation.js';

/**
 * How many confirmations a provider's payment needs before it is `confirmed` rather than `seen`.
 * Adapters hold one per provider (e.g. Blockonomics 0, 1 or 2) and classify their callbacks with it.
 */
export interface ProviderConfirmationPolicy {
  readonly provider: string;
  readonly requiredConfirmations: number;
}

/** Enough for any chain's finality; larger is a configuration mistake. */
export const MAX_REQUIRED_CONFIRMATIONS = 1000;

export function providerConfirmationPolicy(provider: string, requiredConfirmations: number): ProviderConfirmationPolicy {
  return Object.freeze({
    provider: requireText(provider, 'provider', 'invalid-policy'),
    requiredConfirmations: requireWholeNumber(
      requiredConfirmations,
      'requiredConfirmations',
      'invalid-policy',
      0,
      MAX_REQUIRED_CONFIRMATIONS,
    ),
  });
}

/**
 * `confirmed` once the payment has the required confirmations; an unconfirmed Replace-By-Fee
 * payment is only `seen` even when zero confirmations are required, since it is trivially cancellable.
 */
export function classifyConfirmations(
  policy: ProviderConfirmationPolicy,
  confirmations: number,
  rbf: boolean,
): Extract<ObservationKind, 'seen' | 'confirmed'> {
  requireWholeNumber(confirmations, 'confirmations', 'invalid-observation', 0, Number.MAX_SAFE_INTEGER);
  if (confirmations === 0 && rbf) return 'seen';
  return confirmations >= policy.requiredConfirmations ? 'confirmed' : 'seen';
}
