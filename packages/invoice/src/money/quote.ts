import { type CoinDefinition } from './coins.js';
import { type Decimal, divideRoundingUp, formatUnits, parseDecimal } from './decimal.js';
import { currencyExponent, type FiatAmount } from './fiat.js';
import { MoneyError, quoteInput } from './money-error.js';

/** An exchange rate: fiat per one whole coin ("64123.45" USD per BTC). */
export interface ExchangeRate {
  readonly currency: string;
  readonly perCoin: Decimal;
}

const MAX_RATE_SCALE = 18;

export function parseExchangeRate(currency: string, text: string): ExchangeRate {
  currencyExponent(currency);
  const perCoin = parseDecimal(text, { maxScale: MAX_RATE_SCALE, label: `${currency} rate` });
  if (perCoin.coefficient === 0n) throw new MoneyError('zero', `${currency} rate ${quoteInput(text)} must be greater than zero`);
  return { currency, perCoin };
}

export function formatExchangeRate(rate: ExchangeRate): string {
  return formatUnits(rate.perCoin.coefficient, rate.perCoin.scale);
}

/**
 * Converts a fiat price into the coin amount to ask for, rounded **up** to the coin's smallest
 * unit so the merchant never receives less than the price at the quoted rate.
 */
export function quoteCoinAmount(fiat: FiatAmount, rate: ExchangeRate, coin: CoinDefinition): bigint {
  if (fiat.currency !== rate.currency) {
    throw new MoneyError('unknown-currency', `rate is in ${rate.currency} but the amount is in ${fiat.currency}`);
  }
  // units = fiat.minor / 10^fiatExp / (coef / 10^scale) × 10^decimals
  const numerator = fiat.minor * 10n ** BigInt(rate.perCoin.scale + coin.decimals);
  const denominator = rate.perCoin.coefficient * 10n ** BigInt(currencyExponent(fiat.currency));
  return divideRoundingUp(numerator, denominator);
}
