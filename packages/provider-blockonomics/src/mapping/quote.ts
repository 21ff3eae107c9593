import { type CoinDefinition, type FiatAmount, formatExchangeRate, MoneyError, parseExchangeRate, quoteCoinAmount } from '@cryptopay/invoice';
import { ProviderError } from '@cryptopay/provider-kit';
import { PROVIDER_NAME } from './callback-notification.js';

export interface Quote {
  readonly amountDue: bigint;
  /** Fiat per whole coin, exact. */
  readonly rate: string;
}

/** Amount due = fiat / price, rounded up to the coin's base unit; the price read from its exact JSON text. */
export function quoteFromPrice(fiat: FiatAmount, coin: CoinDefinition, price: string | null): Quote {
  if (price === null) {
    throw new ProviderError(PROVIDER_NAME, 'rejected', `has no ${coin.code} price in ${fiat.currency}; use a currency Blockonomics supports`);
  }
  try {
    const rate = parseExchangeRate(fiat.currency, price);
    return { amountDue: quoteCoinAmount(fiat, rate, coin), rate: formatExchangeRate(rate) };
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    throw new ProviderError(PROVIDER_NAME, 'invalid-response', `sent an unusable ${coin.code}/${fiat.currency} price: ${error.message}`);
  }
}
