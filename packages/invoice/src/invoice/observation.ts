/**
 * What a provider told us about one payment, normalized. The adapter has already decided whether
 * the payment has the confirmations its policy requires (`confirmed`) or not yet (`seen`).
 */
export type ObservationKind = 'seen' | 'confirmed' | 'reverted';

export interface PaymentObservation {
  readonly coin: string;
  readonly txid: string;
  readonly address: string;
  /** Base units of `coin` this transaction paid to `address` (not a running total). */
  readonly amount: bigint;
  readonly kind: ObservationKind;
  readonly confirmations: number | null;
  readonly rbf: boolean;
  readonly test: boolean;
}
