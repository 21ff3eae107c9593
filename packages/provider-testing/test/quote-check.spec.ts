import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { parseExchangeRate, quoteCoinAmount } from '@cryptopay/invoice';
import { isLeastAmountCovering, isPositiveDecimal } from '../src/conformance/quote-check.js';

const USD_25 = { currency: 'USD', minor: 2500n };

describe('isLeastAmountCovering, the suite’s own check of quoting up', () => {
  test('holds for the least amount worth the price, and for no other', () => {
    // 25.00 / 64123.45 BTC = 38987.24… satoshi: 38988 is the least that covers it.
    expect(isLeastAmountCovering(38_988n, '64123.45', USD_25, 8)).toBe(true);
    expect(isLeastAmountCovering(38_987n, '64123.45', USD_25, 8)).toBe(false); // rounded down: the merchant is short
    expect(isLeastAmountCovering(38_989n, '64123.45', USD_25, 8)).toBe(false); // more than needed
  });

  test('takes an exact quotient as it is, and reads the currency’s minor unit', () => {
    expect(isLeastAmountCovering(50_000n, '50000', USD_25, 8)).toBe(true);
    expect(isLeastAmountCovering(50_001n, '50000.00', USD_25, 8)).toBe(false);
    // 2500 JPY (no minor unit) at 10 000 000 JPY per BTC is 25 000 satoshi.
    expect(isLeastAmountCovering(25_000n, '10000000', { currency: 'JPY', minor: 2500n }, 8)).toBe(true);
  });

  test('agrees with the invoice package’s quote, which it does not use', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.nat(6), fc.nat(18), (minor, coefficient, scale, decimals) => {
        const digits = coefficient.toString().padStart(scale + 1, '0');
        const rate = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
        const fiat = { currency: 'USD', minor };
        const quoted = quoteCoinAmount(fiat, parseExchangeRate('USD', rate), { code: 'BTC', decimals, name: 'Bitcoin' });
        expect(isLeastAmountCovering(quoted, rate, fiat, decimals)).toBe(true);
        expect(isLeastAmountCovering(quoted + 1n, rate, fiat, decimals)).toBe(false);
      }),
    );
  });

  test('refuses a rate that is no decimal string', () => {
    expect(isLeastAmountCovering(50_000n, '5e4', USD_25, 8)).toBe(false);
    expect(isPositiveDecimal('5e4')).toBe(false);
    expect(isPositiveDecimal('0.00')).toBe(false);
    expect(isPositiveDecimal('0.01')).toBe(true);
  });
});
