import { formatFixed, parseDecimal, rescale } from './decimal.js';
import { MoneyError, quoteInput } from './money-error.js';

/** An exact fiat amount in the currency's minor units (cents for USD). */
export interface FiatAmount {
  readonly currency: string;
  readonly minor: bigint;
}

const CURRENCY = /^[A-Z]{3}$/;
/** ISO 4217 minor-unit exponents that differ from the usual 2. */
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, VND: 0, VUV: 0,
  XAF: 0, XOF: 0, XPF: 0, BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export function currencyExponent(currency: string): number {
  if (!CURRENCY.test(currency)) {
    throw new MoneyError('unknown-currency', `currency ${quoteInput(currency)} must be a three-letter ISO 4217 code like "USD"`);
  }
  return EXPONENTS[currency] ?? 2;
}

/** Parses "25.00" USD exactly; more decimals than the currency has is rejected, not rounded. */
export function parseFiatAmount(currency: string, text: string): FiatAmount {
  const exponent = currencyExponent(currency);
  const decimal = parseDecimal(text, { maxScale: exponent, label: `${currency} amount` });
  return { currency, minor: rescale(decimal, exponent) };
}

/** Formats with the currency's fixed decimals: 2500n USD → "25.00". */
export function formatFiatAmount(amount: FiatAmount): string {
  return formatFixed(amount.minor, currencyExponent(amount.currency));
}
