import { MoneyError, quoteInput } from './money-error.js';

/** A coin (or token on one network) that invoices can be priced in. */
export interface CoinDefinition {
  /** Our canonical code, e.g. `BTC`, `USDT_TRC20`. */
  readonly code: string;
  /** Base-unit decimals: 8 for BTC (satoshi), 6 for USDT. */
  readonly decimals: number;
  readonly name: string;
}

const COIN_CODE = /^[A-Z0-9]{2,12}(?:_[A-Z0-9]{2,12})?$/;

/** Whether `code` has the shape of a coin code (`BTC`, `USDT_TRC20`); says nothing about registration. */
export function isCoinCode(code: string): boolean {
  return COIN_CODE.test(code);
}

export const DEFAULT_COINS: readonly CoinDefinition[] = [
  { code: 'BTC', decimals: 8, name: 'Bitcoin' },
  { code: 'BCH', decimals: 8, name: 'Bitcoin Cash' },
  { code: 'LTC', decimals: 8, name: 'Litecoin' },
  { code: 'DOGE', decimals: 8, name: 'Dogecoin' },
  { code: 'ETH', decimals: 18, name: 'Ether' },
  { code: 'TRX', decimals: 6, name: 'Tron' },
  { code: 'USDT', decimals: 6, name: 'Tether USD (ERC-20)' },
  { code: 'USDT_TRC20', decimals: 6, name: 'Tether USD (TRC-20)' },
  { code: 'USDC', decimals: 6, name: 'USD Coin (ERC-20)' },
];

/** The coins known to this process; providers register the ones they add. */
export class CoinRegistry {
  private readonly coins = new Map<string, CoinDefinition>();

  constructor(coins: readonly CoinDefinition[] = DEFAULT_COINS) {
    for (const coin of coins) this.register(coin);
  }

  /** Adds a coin; registering the same code again with other decimals is a programming error. */
  register(coin: CoinDefinition): void {
    if (!isCoinCode(coin.code)) throw new TypeError(`coin code ${quoteInput(coin.code)} must be like BTC or USDT_TRC20`);
    if (!Number.isInteger(coin.decimals) || coin.decimals < 0 || coin.decimals > 30) {
      throw new TypeError(`coin ${coin.code}: decimals must be an integer from 0 to 30`);
    }
    const known = this.coins.get(coin.code);
    if (known && known.decimals !== coin.decimals) {
      throw new TypeError(`coin ${coin.code} is already registered with ${known.decimals} decimals`);
    }
    this.coins.set(coin.code, Object.freeze({ ...coin }));
  }

  get(code: string): CoinDefinition {
    const coin = this.coins.get(code);
    if (!coin) throw new MoneyError('unknown-coin', `unknown coin ${quoteInput(code)}; known: ${this.codes().join(', ')}`);
    return coin;
  }

  has(code: string): boolean {
    return this.coins.has(code);
  }

  codes(): string[] {
    return [...this.coins.keys()];
  }
}
