/** Blockonomics' public API hosts: BTC on www, BCH on its own host. */
export const DEFAULT_API_BASE_URL = 'https://www.blockonomics.co';
export const DEFAULT_BCH_API_BASE_URL = 'https://bch.blockonomics.co';

/** The query parameter of the store's callback URL that carries our callback secret (it comes back on every callback). */
export const CALLBACK_SECRET_PARAM = 'secret';

/** The txid of the simulated payments sent from Merchant > Logs / Test Bench. */
export const TEST_TXID = 'WarningThisIsAGeneratedTestPaymentAndNotARealBitcoinTransaction';

/** Where Blockonomics' callbacks come from (merchants allowlist them in firewalls / Cloudflare). */
export const CALLBACK_SOURCE_IPS = Object.freeze({ BTC: '44.241.250.59', BCH: '44.225.81.126' });

/** The coins this adapter speaks, by Blockonomics' `crypto` code. USDT is deliberately absent (see docs). */
export type BlockonomicsCrypto = 'BTC' | 'BCH';
export const SUPPORTED_CRYPTOS: readonly BlockonomicsCrypto[] = ['BTC', 'BCH'];

export function isSupportedCrypto(code: string): code is BlockonomicsCrypto {
  return (SUPPORTED_CRYPTOS as readonly string[]).includes(code);
}
