import { type CoinDefinition, divideRoundingUp, MoneyError, parseDecimal } from '@cryptopay/invoice';
import { wireOk as ok, wireProblem as problem, type WireResult } from '@cryptopay/provider-kit';

/** BlockBee writes amounts with at most the coin's decimals; more (up to this) is rounded up, not refused. */
const MAX_PROVIDER_SCALE = 36;

/** The invoice package's exact parsers throw a MoneyError naming the problem: here it is a wire problem. */
export function exactly<T>(parse: () => T): WireResult<T> {
  try {
    return ok(parse());
  } catch (error) {
    if (error instanceof MoneyError) return problem(error.message);
    throw error;
  }
}

/** Exact decimal text in coin units → base units, rounding any extra precision up. */
export function coinUnitsRoundedUp(coin: CoinDefinition, text: string, label: string): WireResult<bigint> {
  const decimal = exactly(() => parseDecimal(text, { maxScale: MAX_PROVIDER_SCALE, label: `${coin.code} ${label}` }));
  if (!decimal.ok) return decimal;
  const { coefficient, scale } = decimal.value;
  if (scale <= coin.decimals) return ok(coefficient * 10n ** BigInt(coin.decimals - scale));
  return ok(divideRoundingUp(coefficient, 10n ** BigInt(scale - coin.decimals)));
}
