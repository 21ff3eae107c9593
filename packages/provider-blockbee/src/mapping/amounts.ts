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

/** A paid amount in coin units: plain decimal or exponent notation (`5e-05`, `1.5E+2`), nothing else. */
const PAID_DECIMAL = /^([0-9]{1,40})(?:\.([0-9]{1,60}))?(?:[eE]([+-]?[0-9]{1,2}))?$/;

/**
 * A paid amount (`value_coin`) → base units, exactly, never through a float. BlockBee writes JSON
 * numbers, so exponent notation and more decimals than the coin has are accepted rather than refused
 * (a refusal is retried for three days and the payment never counts): extra decimals are rounded
 * down — the payer is credited no more than the chain carries. The exact text stays in the
 * callback log.
 */
export function paidCoinUnits(coin: CoinDefinition, text: string, label: string): WireResult<bigint> {
  const match = PAID_DECIMAL.exec(text);
  const quoted = JSON.stringify(text.slice(0, 40));
  if (!match) return problem(`${coin.code} ${label} ${quoted} ${text.trim().startsWith('-') ? 'is negative' : 'is not a number'}; expected a decimal like "0.05" (or 5e-2)`);
  const fraction = match[2] ?? '';
  const exponent = Number.parseInt(match[3] ?? '0', 10);
  const coefficient = BigInt(`${match[1]}${fraction}`);
  // value = coefficient × 10^(exponent − fraction digits); in base units × 10^decimals.
  const shift = exponent - fraction.length + coin.decimals;
  const units = shift >= 0 ? coefficient * 10n ** BigInt(shift) : coefficient / 10n ** BigInt(-shift);
  // Far beyond any coin's supply, and beyond what the ledger stores (78 digits): a broken field, not a payment.
  if (units >= MAX_PAID_UNITS) return problem(`${coin.code} ${label} ${quoted} is too large`);
  return ok(units);
}

const MAX_PAID_UNITS = 10n ** 60n;
