import { MoneyError, quoteInput } from './money-error.js';

/** An exact decimal: `coefficient × 10^-scale`. Never a binary float. */
export interface Decimal {
  readonly coefficient: bigint;
  readonly scale: number;
}

const PLAIN_DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;
const INTEGER = /^(0|[1-9][0-9]*)$/;
/** Bounds the size of what we accept, so a hostile input cannot make bigint arithmetic expensive. */
export const MAX_INTEGER_DIGITS = 30;

export interface DecimalLimits {
  /** Most digits allowed after the point; more is `too-precise`. */
  readonly maxScale: number;
  /** What the value is, for error messages ("amount", "rate"). */
  readonly label: string;
}

/** Parses a plain, non-negative decimal string ("25.00", "0.00041667") exactly. */
export function parseDecimal(text: string, limits: DecimalLimits): Decimal {
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) throw rejectShape(text, limits.label, 'a decimal number like "12.34"');
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (whole.length > MAX_INTEGER_DIGITS) {
    throw new MoneyError('too-large', `${limits.label} ${quoteInput(text)} is too large`);
  }
  if (fraction.length > limits.maxScale) {
    throw new MoneyError(
      'too-precise',
      `${limits.label} ${quoteInput(text)} has ${fraction.length} decimal places; at most ${limits.maxScale} are allowed`,
    );
  }
  return { coefficient: BigInt(whole + fraction), scale: fraction.length };
}

/** Parses a non-negative integer string (an amount in base units such as satoshi) exactly. */
export function parseInteger(text: string, label: string): bigint {
  if (!INTEGER.test(text)) throw rejectShape(text, label, 'a whole number of base units like "41667"');
  if (text.length > MAX_INTEGER_DIGITS) {
    throw new MoneyError('too-large', `${label} ${quoteInput(text)} is too large`);
  }
  return BigInt(text);
}

function rejectShape(text: string, label: string, expected: string): MoneyError {
  const trimmed = text.trim();
  if (trimmed.startsWith('-')) {
    return new MoneyError('negative', `${label} ${quoteInput(text)} is negative; expected ${expected}`);
  }
  if (/^[0-9.]+[eE][-+]?[0-9]+$/.test(trimmed)) {
    return new MoneyError('exponent', `${label} ${quoteInput(text)} uses exponent notation; expected ${expected}`);
  }
  return new MoneyError('not-a-number', `${label} ${quoteInput(text)} is not a number; expected ${expected}`);
}

/** Rescales to `scale` decimal places; only exact when `scale >= d.scale`. */
export function rescale(d: Decimal, scale: number): bigint {
  if (scale < d.scale) throw new RangeError('rescale would lose precision');
  return d.coefficient * 10n ** BigInt(scale - d.scale);
}

/** Formats `units × 10^-scale` as a plain decimal string, without trailing zeros. */
export function formatUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Formats with exactly `scale` decimal places ("25.00"), as fiat amounts are shown. */
export function formatFixed(units: bigint, scale: number): string {
  const digits = units.toString().padStart(scale + 1, '0');
  if (scale === 0) return digits;
  return `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}

/** Integer division rounding towards +infinity, for non-negative operands. */
export function divideRoundingUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}
