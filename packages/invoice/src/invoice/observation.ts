import { InvoiceError } from './errors.js';
import { requireBaseUnits, requireBoolean, requireText, requireWholeNumber } from './validation.js';

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

const KINDS: readonly ObservationKind[] = ['seen', 'confirmed', 'reverted'];

/** Checks an observation from an adapter field by field (typed {@link InvoiceError} `invalid-observation`). */
export function validateObservation(observation: PaymentObservation): PaymentObservation {
  const code = 'invalid-observation';
  if (!KINDS.includes(observation.kind)) {
    throw new InvoiceError(code, 'kind', `kind must be one of ${KINDS.join(', ')}`);
  }
  return {
    coin: requireText(observation.coin, 'coin', code),
    txid: requireText(observation.txid, 'txid', code),
    address: requireText(observation.address, 'address', code),
    amount: requireBaseUnits(observation.amount, 'amount', code, 0n),
    kind: observation.kind,
    confirmations:
      observation.confirmations === null
        ? null
        : requireWholeNumber(observation.confirmations, 'confirmations', code, 0, Number.MAX_SAFE_INTEGER),
    rbf: requireBoolean(observation.rbf, 'rbf', code),
    test: requireBoolean(observation.test, 'test', code),
  };
}
