import { type CoinDefinition, DEFAULT_COINS } from '@cryptopay/invoice';

/** Coins BlockBee supports that the invoice package does not define: register them with the app's CoinRegistry. */
export const BLOCKBEE_EXTRA_COINS: readonly CoinDefinition[] = Object.freeze([
  // BEP-20 USDT is an 18-decimal token on BNB Smart Chain, unlike the 6-decimal ERC-20/TRC-20 ones.
  Object.freeze({ code: 'USDT_BEP20', decimals: 18, name: 'Tether USD (BEP-20)' }),
]);

/** BlockBee ticker (underscore form) → our coin code. */
const CODE_BY_TICKER: ReadonlyMap<string, string> = new Map([
  ['btc', 'BTC'],
  ['bch', 'BCH'],
  ['ltc', 'LTC'],
  ['doge', 'DOGE'],
  ['eth', 'ETH'],
  ['trx', 'TRX'],
  ['erc20_usdt', 'USDT'],
  ['trc20_usdt', 'USDT_TRC20'],
  ['bep20_usdt', 'USDT_BEP20'],
  ['erc20_usdc', 'USDC'],
]);

const TICKER_BY_CODE: ReadonlyMap<string, string> = new Map([...CODE_BY_TICKER].map(([ticker, code]) => [code, ticker]));
const DEFINITIONS: ReadonlyMap<string, CoinDefinition> = new Map(
  [...DEFAULT_COINS, ...BLOCKBEE_EXTRA_COINS].map((coin) => [coin.code, coin]),
);

/** Every coin this adapter can invoice in, with the decimals the invoice domain uses. */
export const BLOCKBEE_COINS: readonly CoinDefinition[] = Object.freeze(
  [...CODE_BY_TICKER.values()].map((code) => definition(code)),
);

/** Our coin for a BlockBee ticker, or null when we do not support it. */
export function coinForTicker(ticker: string): CoinDefinition | null {
  const code = CODE_BY_TICKER.get(ticker);
  return code === undefined ? null : definition(code);
}

/** BlockBee's ticker (underscore form) for one of our coin codes, or null. */
export function tickerForCoin(code: string): string | null {
  return TICKER_BY_CODE.get(code) ?? null;
}

function definition(code: string): CoinDefinition {
  const coin = DEFINITIONS.get(code);
  if (!coin) throw new Error(`coin ${code} is mapped to a BlockBee ticker but has no definition`);
  return coin;
}
