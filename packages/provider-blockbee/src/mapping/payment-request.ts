import {
  type CoinDefinition,
  currencyExponent,
  divideRoundingUp,
  type FiatAmount,
  formatUnits,
  MoneyError,
  parseDecimal,
  parseExchangeRate,
  quoteCoinAmount,
} from '@cryptopay/invoice';
import { type PaymentRequest } from '@cryptopay/provider-kit';
import { type CoinInfoResponse, type ConvertResponse, type CreateAddressResponse, WireShapeError } from '../wire/api.js';

/** Decimal places kept in the (derived) fiat-per-coin rate. */
const RATE_SCALE = 12;
/** BlockBee writes amounts with at most the coin's decimals; more (up to this) is rounded up, not refused. */
const MAX_PROVIDER_SCALE = 36;

export interface PaymentRequestParts {
  readonly coin: CoinDefinition;
  readonly fiat: FiatAmount;
  /** The callback URL sent to `create`: the address's identity, kept for the logs call and nonce binding. */
  readonly callbackUrl: string;
  readonly created: CreateAddressResponse;
  readonly quote: ConvertResponse;
  readonly info: CoinInfoResponse;
}

/**
 * BlockBee quotes coin per fiat unit (`value_coin` for the price). We store the rate as fiat per
 * coin, derived from that quote and rounded **down**, and ask for the price at that rate rounded
 * **up** to the coin's smallest unit: never less than BlockBee's quote, and the amount due is
 * exactly what the invoice domain's `quoteCoinAmount(fiat, rate)` gives.
 */
export function toPaymentRequest(parts: PaymentRequestParts): PaymentRequest {
  const { coin, fiat } = parts;
  const quoted = coinUnitsRoundedUp(coin, parts.quote.valueCoin, 'convert value_coin');
  if (quoted === 0n) throw new WireShapeError(`convert value_coin "${parts.quote.valueCoin}" is zero`);
  const rate = fiatPerCoinRoundedDown(fiat, quoted, coin);
  return {
    address: parts.created.addressIn,
    amountDue: quoteCoinAmount(fiat, parseExchangeRate(fiat.currency, rate), coin),
    rate,
    providerReference: parts.callbackUrl,
    minimumPayment: coinUnitsRoundedUp(coin, parts.info.minimumTransactionCoin, 'info minimum_transaction_coin'),
  };
}

/** Exact decimal text in coin units → base units, rounding any extra precision up. */
export function coinUnitsRoundedUp(coin: CoinDefinition, text: string, label: string): bigint {
  let decimal;
  try {
    decimal = parseDecimal(text, { maxScale: MAX_PROVIDER_SCALE, label: `${coin.code} ${label}` });
  } catch (error) {
    if (error instanceof MoneyError) throw new WireShapeError(error.message);
    throw error;
  }
  if (decimal.scale <= coin.decimals) return decimal.coefficient * 10n ** BigInt(coin.decimals - decimal.scale);
  return divideRoundingUp(decimal.coefficient, 10n ** BigInt(decimal.scale - coin.decimals));
}

/** fiat ÷ coin amount, truncated to {@link RATE_SCALE} places. */
function fiatPerCoinRoundedDown(fiat: FiatAmount, units: bigint, coin: CoinDefinition): string {
  const numerator = fiat.minor * 10n ** BigInt(coin.decimals + RATE_SCALE);
  const denominator = units * 10n ** BigInt(currencyExponent(fiat.currency));
  const rate = numerator / denominator;
  if (rate === 0n) throw new WireShapeError(`the quote of ${units} base units for ${fiat.minor} minor units gives no usable rate`);
  return formatUnits(rate, RATE_SCALE);
}
