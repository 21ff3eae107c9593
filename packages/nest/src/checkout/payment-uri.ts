import { type CoinDefinition } from '@cryptopay/invoice';

/** Coins whose wallets read a BIP21-style URI (`<scheme>:<address>?amount=<coin units>`). */
const URI_SCHEMES: Readonly<Record<string, string>> = { BTC: 'bitcoin', BCH: 'bitcoincash', LTC: 'litecoin', DOGE: 'dogecoin' };

/** The network a coin or token travels on, named in words on the page (wallets misread token links). */
const NETWORKS: Readonly<Record<string, string>> = {
  BTC: 'Bitcoin',
  BCH: 'Bitcoin Cash',
  LTC: 'Litecoin',
  DOGE: 'Dogecoin',
  ETH: 'Ethereum',
  USDT: 'Ethereum (ERC-20)',
  USDC: 'Ethereum (ERC-20)',
  TRX: 'Tron',
  USDT_TRC20: 'Tron (TRC-20)',
  USDT_BEP20: 'BNB Smart Chain (BEP-20)',
};

/**
 * What the QR code holds: a BIP21 URI of the amount still to pay (an exact decimal string, never a
 * float: `bip21` libraries accept numbers and print 1e-7) for the coins that have one, else the plain
 * address — EIP-681 token links are misread by many wallets. The address is kept as the provider gave
 * it (lower case: some wallets cannot read an upper-case QR), BCH's `bitcoincash:` prefix once.
 */
export function paymentUriOf(coin: CoinDefinition, address: string, amount: string): string {
  const scheme = URI_SCHEMES[coin.code];
  if (scheme === undefined) return address;
  const bare = address.startsWith(`${scheme}:`) ? address.slice(scheme.length + 1) : address;
  return `${scheme}:${bare}?amount=${amount}`;
}

/** The network in words: the coin's own for the known ones, else the registry's name of the coin. */
export function networkOf(coin: CoinDefinition): string {
  return NETWORKS[coin.code] ?? coin.name;
}
