import { type CoinDefinition } from '@cryptopay/invoice';
import { type BlockonomicsCrypto, isSupportedCrypto } from '../wire/constants.js';

/** Our coin codes equal Blockonomics' `crypto` codes for the coins we map, both counted in satoshi (8 decimals). */
export function cryptoForCoin(coin: Pick<CoinDefinition, 'code' | 'decimals'>): BlockonomicsCrypto | undefined {
  return isSupportedCrypto(coin.code) && coin.decimals === 8 ? coin.code : undefined;
}

/** CashAddr (`bitcoincash:q…` or bare `q…`/`p…`, 42 characters): a BCH address. */
const CASH_ADDR = /^(?:bitcoincash:)?[qp][02-9ac-hj-np-z]{41}$/;

/**
 * The coin a callback is about: its `crypto` parameter when sent, otherwise the address format
 * (CashAddr is BCH; anything else BTC). A legacy-format BCH address without `crypto` therefore
 * reads as BTC and is refused when bound to the BCH invoice, never silently accepted.
 */
export function callbackCoin(crypto: string | undefined, address: string): string {
  if (crypto !== undefined) return crypto.toUpperCase();
  return CASH_ADDR.test(address) ? 'BCH' : 'BTC';
}
