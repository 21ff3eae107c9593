import { currencyExponent, type FiatAmount } from '@cryptopay/invoice';

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Whether `amountDue` is the least whole number of base units whose value at `rate` (fiat per whole
 * coin, a decimal string) covers the fiat amount: a check of "quoted up from the rate" by its
 * definition, in bigint arithmetic, that shares no code with the quoting it checks. `a` base units
 * are worth a × rate / 10^decimals, which covers fiat.minor / 10^exponent exactly when
 * a × coefficient × 10^exponent ≥ fiat.minor × 10^(decimals + scale).
 */
export function isLeastAmountCovering(amountDue: bigint, rate: string, fiat: FiatAmount, coinDecimals: number): boolean {
  const match = DECIMAL.exec(rate);
  if (!match) return false;
  const fraction = match[2] ?? '';
  const coefficient = BigInt(`${match[1]}${fraction}`);
  const worth = (units: bigint) => units * coefficient * 10n ** BigInt(currencyExponent(fiat.currency));
  const price = fiat.minor * 10n ** BigInt(coinDecimals + fraction.length);
  return worth(amountDue) >= price && (amountDue === 0n || worth(amountDue - 1n) < price);
}

/** Whether a rate is an exact positive decimal string, as `PaymentRequest.rate` must be. */
export function isPositiveDecimal(rate: string): boolean {
  const match = DECIMAL.exec(rate);
  return match !== null && /[1-9]/.test(`${match[1]}${match[2] ?? ''}`);
}
