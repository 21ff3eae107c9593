import { type Payment } from './invoice.js';

/**
 * Whether a payment could still be replaced if it signals Replace-By-Fee: only while it is unmined
 * (no confirmation known). A transaction with one confirmation, or confirmed by the provider's
 * policy, is in a block and can no longer be replaced, so its RBF signal stops mattering.
 */
export function isReplaceable(payment: Pick<Payment, 'state' | 'confirmations'>): boolean {
  return payment.state !== 'confirmed' && (payment.confirmations ?? 0) === 0;
}
