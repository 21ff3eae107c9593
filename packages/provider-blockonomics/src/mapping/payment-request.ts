import { type CoinDefinition, type FiatAmount, formatExchangeRate, MoneyError, parseExchangeRate, quoteCoinAmount } from '@cryptopay/invoice';
import { type PaymentRequest, ProviderError, UnsupportedCurrencyError } from '@cryptopay/provider-kit';
import { type NewAddressResponse } from '../wire/api.js';
import { PROVIDER_NAME } from './provider-name.js';

/**
 * The payment request for a new address and the current price: we quote the amount due ourselves,
 * fiat / price rounded up to the coin's base unit, the price read from its exact JSON text. The
 * store's xpub (`account`) is kept as the provider reference.
 */
export function toPaymentRequest(created: NewAddressResponse, fiat: FiatAmount, coin: CoinDefinition, price: string | null): PaymentRequest {
  const { amountDue, rate } = quoteFromPrice(fiat, coin, price);
  return { address: created.address, amountDue, rate, quotedBy: 'rate', providerReference: created.account ?? null, minimumPayment: null };
}

function quoteFromPrice(fiat: FiatAmount, coin: CoinDefinition, price: string | null): { amountDue: bigint; rate: string } {
  if (price === null) throw unsupportedCurrency(fiat.currency);
  try {
    const rate = parseExchangeRate(fiat.currency, price);
    return { amountDue: quoteCoinAmount(fiat, rate, coin), rate: formatExchangeRate(rate) };
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    throw new ProviderError(PROVIDER_NAME, 'invalid-response', `sent an unusable ${coin.code}/${fiat.currency} price: ${error.message}`);
  }
}

/** `{"price": null}`: Blockonomics does not price that currency; its API lists the ones it does. */
export function unsupportedCurrency(currency: string): UnsupportedCurrencyError {
  return new UnsupportedCurrencyError(PROVIDER_NAME, currency, [], CURRENCIES_URL);
}

const CURRENCIES_URL = 'https://www.blockonomics.co/api/currencies';
