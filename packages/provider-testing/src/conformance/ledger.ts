import { type ObservationKind, type PaymentObservation } from '@cryptopay/invoice';
import { type CallbackNotification } from '../contract/notification.js';

export interface LedgerPayment {
  readonly observation: PaymentObservation;
  readonly state: 'pending' | 'confirmed' | 'reverted';
}

/**
 * The reference semantics the suite holds deliveries to, as the core applies them: each
 * delivery key takes effect once, a payment `(coin, txid, address)` only moves up from pending
 * to confirmed, and a revert stops counting a payment unless it is already confirmed.
 */
export class ConformanceLedger {
  private readonly deliveries = new Map<string, CallbackNotification>();
  private readonly payments = new Map<string, LedgerPayment>();

  apply(notification: CallbackNotification): 'applied' | 'duplicate' {
    if (this.deliveries.has(notification.deliveryKey)) return 'duplicate';
    this.deliveries.set(notification.deliveryKey, notification);
    const { observation } = notification;
    const key = paymentKey(observation.coin, observation.txid, observation.address);
    const known = this.payments.get(key);
    const state = nextState(known?.state, observation.kind);
    if (state !== known?.state) this.payments.set(key, { observation, state });
    return 'applied';
  }

  delivery(deliveryKey: string): CallbackNotification | undefined {
    return this.deliveries.get(deliveryKey);
  }

  payment(coin: string, txid: string, address: string): LedgerPayment | undefined {
    return this.payments.get(paymentKey(coin, txid, address));
  }
}

function paymentKey(coin: string, txid: string, address: string): string {
  return JSON.stringify([coin, txid, address]);
}

function nextState(current: LedgerPayment['state'] | undefined, kind: ObservationKind): LedgerPayment['state'] {
  if (current === 'confirmed') return 'confirmed';
  if (kind === 'confirmed') return 'confirmed';
  if (kind === 'reverted') return 'reverted';
  return current ?? 'pending';
}
