import fc from 'fast-check';
import {
  CoinRegistry,
  DEFAULT_COINS,
  formatCoinAmount,
  formatUnits,
  isCoinCode,
  formatFiatAmount,
  MoneyError,
  parseBaseUnits,
  parseCoinAmount,
  parseExchangeRate,
  parseFiatAmount,
  parseInteger,
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

describe('money: limits and messages', () => {
  const messageOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof MoneyError) return `${error.name}: ${error.message}`;
      throw error;
    }
    throw new Error('expected a MoneyError');
  };

  it('says what was wrong and what is expected, quoting the input', () => {
    expect(messageOf(() => parseCoinAmount(btc, 'abc'))).toBe('MoneyError: BTC amount "abc" is not a number; expected a decimal number like "12.34"');
    expect(messageOf(() => parseCoinAmount(btc, '-1'))).toBe('MoneyError: BTC amount "-1" is negative; expected a decimal number like "12.34"');
    expect(messageOf(() => parseCoinAmount(btc, '1e8'))).toBe(
      'MoneyError: BTC amount "1e8" uses exponent notation; expected a decimal number like "12.34"',
    );
    expect(messageOf(() => parseBaseUnits(btc, '416.67'))).toBe(
      'MoneyError: BTC amount "416.67" is not a number; expected a whole number of base units like "41667"',
    );
    expect(messageOf(() => parseFiatAmount('USD', '25.001'))).toBe('MoneyError: USD amount "25.001" has 3 decimal places; at most 2 are allowed');
    expect(messageOf(() => parseExchangeRate('USD', 'x'))).toBe('MoneyError: USD rate "x" is not a number; expected a decimal number like "12.34"');
    expect(messageOf(() => parseExchangeRate('USD', '0.00'))).toBe('MoneyError: USD rate "0.00" must be greater than zero');
    expect(messageOf(() => parseFiatAmount('usd', '1'))).toBe('MoneyError: currency "usd" must be a three-letter ISO 4217 code like "USD"');
    expect(messageOf(() => quoteCoinAmount(parseFiatAmount('EUR', '1'), parseExchangeRate('USD', '2'), btc))).toBe(
      'MoneyError: rate is in USD but the amount is in EUR',
    );
  });

  it('accepts 30 integer digits and refuses 31, in decimals and in base units', () => {
    const thirty = '9'.repeat(30);
    expect(parseCoinAmount(btc, thirty)).toBe(BigInt(thirty) * 10n ** 8n);
    expect(parseInteger(thirty, 'sat')).toBe(BigInt(thirty));
    expect(codeOf(() => parseInteger(`${thirty}9`, 'sat'))).toBe('too-large');
    expect(messageOf(() => parseCoinAmount(btc, `${thirty}9`))).toBe(`MoneyError: BTC amount "${'9'.repeat(31)}" is too large`);
  });

  it('quotes at most 40 characters of an input in a message', () => {
    const forty = 'x'.repeat(40);
    expect(messageOf(() => parseInteger(forty, 'sat'))).toContain(`"${forty}" is not a number`);
    expect(messageOf(() => parseInteger(`${forty}y`, 'sat'))).toContain(`"${forty}…" is not a number`);
    expect(messageOf(() => parseInteger('1'.repeat(41), 'sat'))).toBe(`MoneyError: sat "${'1'.repeat(40)}…" is too large`);
  });

  it.each([
    [' -5', 'negative'],
    [' 1e5 ', 'exponent'],
    ['11e5', 'exponent'],
    ['1e55', 'exponent'],
    ['1.5E-3', 'exponent'],
    ['x1e5', 'not-a-number'],
    ['1e5x', 'not-a-number'],
  ])('classifies %j as %s', (input, code) => {
    expect(codeOf(() => parseInteger(input, 'sat'))).toBe(code);
  });

  it('formats negative amounts (a difference such as an overpayment)', () => {
    expect(formatUnits(-150n, 2)).toBe('-1.5');
    expect(formatUnits(-1n, 8)).toBe('-0.00000001');
    expect(formatUnits(150n, 2)).toBe('1.5');
    expect(formatUnits(7n, 0)).toBe('7');
  });

  it('accepts only whole currency codes', () => {
    expect(codeOf(() => parseFiatAmount('xUSD', '1'))).toBe('unknown-currency');
    expect(codeOf(() => parseFiatAmount('USDx', '1'))).toBe('unknown-currency');
  });
});

describe('coin registry: what a coin may be', () => {
  it('holds the default coins with their base-unit decimals', () => {
    expect(DEFAULT_COINS).toEqual([
      { code: 'BTC', decimals: 8, name: 'Bitcoin' },
      { code: 'BCH', decimals: 8, name: 'Bitcoin Cash' },
      { code: 'LTC', decimals: 8, name: 'Litecoin' },
      { code: 'DOGE', decimals: 8, name: 'Dogecoin' },
      { code: 'ETH', decimals: 18, name: 'Ether' },
      { code: 'TRX', decimals: 6, name: 'Tron' },
      { code: 'USDT', decimals: 6, name: 'Tether USD (ERC-20)' },
      { code: 'USDT_TRC20', decimals: 6, name: 'Tether USD (TRC-20)' },
      { code: 'USDC', decimals: 6, name: 'USD Coin (ERC-20)' },
    ]);
    expect(new CoinRegistry().codes()).toEqual(DEFAULT_COINS.map((coin) => coin.code));
  });

  it('knows a coin code by its shape only', () => {
    expect(['BTC', 'USDT_TRC20', 'X2', 'ABCDEFGHIJKL'].map(isCoinCode)).toEqual([true, true, true, true]);
    expect(['btc', 'B', 'ABCDEFGHIJKLM', 'aBTC', 'BTCa', 'USDT_', 'USDT_TRC20_X', 'BT C'].map(isCoinCode)).toEqual(Array(8).fill(false));
  });

  it('refuses a malformed code or decimals out of 0-30, and accepts both ends', () => {
    const registry = new CoinRegistry([]);
    expect(() => registry.register({ code: 'btc', decimals: 8, name: 'x' })).toThrow(new TypeError('coin code "btc" must be like BTC or USDT_TRC20'));
    for (const decimals of [-1, 31, 1.5]) {
      expect(() => registry.register({ code: 'ZZZ', decimals, name: 'x' })).toThrow(new TypeError('coin ZZZ: decimals must be an integer from 0 to 30'));
    }
    registry.register({ code: 'NIL', decimals: 0, name: 'whole units' });
    registry.register({ code: 'MAX', decimals: 30, name: 'thirty decimals' });
    expect(registry.codes()).toEqual(['NIL', 'MAX']);
  });

  it('takes the same coin registered again with the same decimals', () => {
    const registry = new CoinRegistry();
    expect(() => registry.register({ code: 'BTC', decimals: 8, name: 'Bitcoin again' })).not.toThrow();
    expect(registry.get('BTC').decimals).toBe(8);
  });

  it('names the known coins when asked for an unknown one', () => {
    expect(() => new CoinRegistry([{ code: 'BTC', decimals: 8, name: 'Bitcoin' }]).get('NOPE')).toThrow('unknown coin "NOPE"; known: BTC');
    expect(() => new CoinRegistry().get('NOPE')).toThrow('known: BTC, BCH, LTC');
  });
});
