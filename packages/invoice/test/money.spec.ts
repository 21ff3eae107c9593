import fc from 'fast-check';
import {
  CoinRegistry,
  formatCoinAmount,
  formatFiatAmount,
  MoneyError,
  parseBaseUnits,
  parseCoinAmount,
  parseExchangeRate,
  parseFiatAmount,
  quoteCoinAmount,
} from '../src/index.js';

const coins = new CoinRegistry();
const btc = coins.get('BTC');
const usdt = coins.get('USDT');
const eth = coins.get('ETH');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof MoneyError) return error.code;
    throw error;
  }
  throw new Error('expected a MoneyError');
}

describe('coin amounts', () => {
  it('parses coin units into base units exactly', () => {
    expect(parseCoinAmount(btc, '0.00041667')).toBe(41667n);
    expect(parseCoinAmount(btc, '21000000')).toBe(2_100_000_000_000_000n);
    expect(parseCoinAmount(usdt, '0.1')).toBe(100_000n);
    expect(parseCoinAmount(eth, '0.000000000000000001')).toBe(1n);
  });

  it('formats base units without trailing zeros', () => {
    expect(formatCoinAmount(btc, 41667n)).toBe('0.00041667');
    expect(formatCoinAmount(btc, 100_000_000n)).toBe('1');
    expect(formatCoinAmount(btc, 0n)).toBe('0');
    expect(formatCoinAmount(usdt, 1_500_000n)).toBe('1.5');
  });

  it.each([
    ['-0.1', 'negative'],
    ['1e-7', 'exponent'],
    ['1E8', 'exponent'],
    ['0.000000001', 'too-precise'],
    ['abc', 'not-a-number'],
    ['', 'not-a-number'],
    ['.5', 'not-a-number'],
    ['5.', 'not-a-number'],
    ['01', 'not-a-number'],
    [' 1', 'not-a-number'],
    ['1'.repeat(31), 'too-large'],
    ['NaN', 'not-a-number'],
    ['Infinity', 'not-a-number'],
  ])('rejects %j as %s', (input, code) => {
    expect(codeOf(() => parseCoinAmount(btc, input))).toBe(code);
  });

  it('names the coin and the problem in the message', () => {
    expect(() => parseCoinAmount(btc, '0.123456789')).toThrow('BTC amount "0.123456789" has 9 decimal places; at most 8 are allowed');
  });

  it('parses base-unit integers strictly', () => {
    expect(parseBaseUnits(btc, '41667')).toBe(41667n);
    expect(codeOf(() => parseBaseUnits(btc, '416.67'))).toBe('not-a-number');
    expect(codeOf(() => parseBaseUnits(btc, '-5'))).toBe('negative');
    expect(codeOf(() => parseBaseUnits(btc, '5e3'))).toBe('exponent');
  });

  it.each(new CoinRegistry().codes())('round-trips every %s amount at full precision', (code) => {
    const coin = coins.get(code);
    const maxUnits = 10n ** BigInt(coin.decimals + 12);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: maxUnits }), (units) => {
        const text = formatCoinAmount(coin, units);
        expect(parseCoinAmount(coin, text)).toBe(units);
        expect(formatCoinAmount(coin, parseCoinAmount(coin, text))).toBe(text);
      }),
    );
  });
});

describe('coin registry', () => {
  it('lets providers add coins and refuses conflicting decimals', () => {
    const registry = new CoinRegistry();
    registry.register({ code: 'USDT_BEP20', decimals: 18, name: 'Tether USD (BEP-20)' });
    expect(registry.get('USDT_BEP20').decimals).toBe(18);
    expect(() => registry.register({ code: 'BTC', decimals: 6, name: 'x' })).toThrow('already registered with 8 decimals');
    expect(codeOf(() => registry.get('NOPE'))).toBe('unknown-coin');
  });
});

describe('fiat amounts', () => {
  it('keeps the currency precision exactly', () => {
    expect(parseFiatAmount('USD', '25.00').minor).toBe(2500n);
    expect(parseFiatAmount('USD', '25').minor).toBe(2500n);
    expect(formatFiatAmount(parseFiatAmount('USD', '25.5'))).toBe('25.50');
    expect(formatFiatAmount(parseFiatAmount('JPY', '1500'))).toBe('1500');
    expect(formatFiatAmount(parseFiatAmount('KWD', '1.125'))).toBe('1.125');
    expect(formatFiatAmount(parseFiatAmount('USD', '0.05'))).toBe('0.05');
  });

  it('rejects sub-cent precision and bad currencies', () => {
    expect(codeOf(() => parseFiatAmount('USD', '25.001'))).toBe('too-precise');
    expect(codeOf(() => parseFiatAmount('JPY', '1.5'))).toBe('too-precise');
    expect(codeOf(() => parseFiatAmount('usd', '1'))).toBe('unknown-currency');
  });
});

describe('quotes', () => {
  it('rounds the coin amount up to the smallest unit', () => {
    // 25.00 / 60000 = 0.000416666… BTC → 41667 sat
    expect(quoteCoinAmount(parseFiatAmount('USD', '25.00'), parseExchangeRate('USD', '60000'), btc)).toBe(41667n);
    // an exact division is not rounded
    expect(quoteCoinAmount(parseFiatAmount('USD', '30.00'), parseExchangeRate('USD', '60000'), btc)).toBe(50000n);
    expect(quoteCoinAmount(parseFiatAmount('USD', '10.00'), parseExchangeRate('USD', '1.0001'), usdt)).toBe(9_999_001n);
  });

  it('never asks for less than the price at the quoted rate', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (cents, rateCents) => {
        const fiat = { currency: 'USD', minor: cents };
        const rate = { currency: 'USD', perCoin: { coefficient: rateCents, scale: 2 } };
        const units = quoteCoinAmount(fiat, rate, btc);
        // value of units at the rate, in cents × 10^8: units × rateCents ≥ cents × 10^8
        expect(units * rateCents >= cents * 10n ** 8n).toBe(true);
        expect((units - 1n) * rateCents < cents * 10n ** 8n).toBe(true);
      }),
    );
  });

  it('rejects a zero or mismatched rate', () => {
    expect(codeOf(() => parseExchangeRate('USD', '0'))).toBe('zero');
    expect(codeOf(() => quoteCoinAmount(parseFiatAmount('EUR', '1'), parseExchangeRate('USD', '2'), btc))).toBe('unknown-currency');
  });
});
