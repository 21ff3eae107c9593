import { type CoinDefinition, formatCoinAmount, formatUnits, parseExchangeRate, parseFiatAmount, quoteCoinAmount } from '@cryptopay/invoice';

/** Digits BlockBee-like `exchange_rate` values are written with. */
const EXCHANGE_RATE_SCALE = 12;

/** Fiat per whole coin, per ticker; settable so tests control quotes. */
const DEFAULT_USD_PRICES: Readonly<Record<string, string>> = {
  btc: '64000',
  bch: '450',
  ltc: '80',
  doge: '0.15',
  eth: '3200',
  trx: '0.12',
  erc20_usdt: '1',
  trc20_usdt: '1',
  bep20_usdt: '1',
  erc20_usdc: '1',
};

const DEFAULT_MINIMUMS: Readonly<Record<string, string>> = {
  btc: '0.00008',
  bch: '0.0005',
  ltc: '0.002',
  doge: '1',
  eth: '0.001',
  trx: '1',
};
const TOKEN_MINIMUM = '1';

/** Prices and minimum transactions, as BlockBee's `convert` and `info` report them. */
export class Market {
  private readonly prices = new Map<string, string>();
  private readonly minimums = new Map<string, string>();

  setPrice(ticker: string, currency: string, fiatPerCoin: string): void {
    parseExchangeRate(currency, fiatPerCoin);
    this.prices.set(`${ticker} ${currency}`, fiatPerCoin);
  }

  price(ticker: string, currency: string): string | null {
    return this.prices.get(`${ticker} ${currency}`) ?? (currency === 'USD' ? (DEFAULT_USD_PRICES[ticker] ?? null) : null);
  }

  /** The ticker's price in every currency it has one in, as `info?prices=1` lists them. */
  pricesOf(ticker: string): Record<string, string> {
    const listed: Record<string, string> = {};
    const usd = DEFAULT_USD_PRICES[ticker];
    if (usd !== undefined) listed['USD'] = usd;
    for (const [key, price] of this.prices) {
      const [priced, currency] = key.split(' ') as [string, string];
      if (priced === ticker) listed[currency] = price;
    }
    return listed;
  }

  setMinimum(ticker: string, coinUnits: string): void {
    this.minimums.set(ticker, coinUnits);
  }

  minimum(ticker: string): string {
    return this.minimums.get(ticker) ?? DEFAULT_MINIMUMS[ticker] ?? TOKEN_MINIMUM;
  }

  /** `value` of `currency` in coin units (rounded up) and BlockBee's `exchange_rate` (coin per fiat unit). */
  convert(coin: CoinDefinition, ticker: string, value: string, currency: string): { valueCoin: string; exchangeRate: string } | null {
    const price = this.price(ticker, currency);
    if (price === null) return null;
    const rate = parseExchangeRate(currency, price);
    const units = quoteCoinAmount(parseFiatAmount(currency, value), rate, coin);
    const { coefficient, scale } = rate.perCoin;
    const numerator = 10n ** BigInt(EXCHANGE_RATE_SCALE + scale);
    const perFiat = (2n * numerator + coefficient) / (2n * coefficient);
    return { valueCoin: formatCoinAmount(coin, units), exchangeRate: formatUnits(perFiat, EXCHANGE_RATE_SCALE) };
  }
}
