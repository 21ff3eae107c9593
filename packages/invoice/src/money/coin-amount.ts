import { type CoinDefinition } from './coins.js';
import { formatUnits, parseDecimal, parseInteger, rescale } from './decimal.js';

/** Parses a coin amount written in coin units ("0.00041667") into base units (41667n). */
export function parseCoinAmount(coin: CoinDefinition, text: string, label = 'amount'): bigint {
  return rescale(parseDecimal(text, { maxScale: coin.decimals, label: `${coin.code} ${label}` }), coin.decimals);
}

/** Parses an amount already in base units ("41667" satoshi). */
export function parseBaseUnits(coin: CoinDefinition, text: string, label = 'amount'): bigint {
  return parseInteger(text, `${coin.code} ${label}`);
}

/** Formats base units as coin units, exactly and without trailing zeros: 41667n → "0.00041667". */
export function formatCoinAmount(coin: CoinDefinition, units: bigint): string {
  return formatUnits(units, coin.decimals);
}
