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

/** Decimal places kept in the derived fiat-per-coin rate: the most an exchange rate may carry. */
const RATE_SCALE = 18;
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
 * coin, derived from that quote (price ÷ quote, rounded up in the 18th decimal), and the amount due
 * is the invoice domain's `quoteCoinAmount(fiat, rate)`, rounded up to the coin's smallest unit:
 * BlockBee's quote itself whenever 18 decimals of rate can express it (every realistic case).
 */
export function toPaymentRequest(parts: PaymentRequestParts): PaymentRequest {
  const { coin, fiat } = parts;
  const quoted = coinUnitsRoundedUp(coin, parts.quote.valueCoin, 'convert value_coin');
  if (quoted === 0n) throw new WireShapeError(`convert value_coin "${parts.quote.valueCoin}" is zero`);
  const rate = fiatPerCoinRoundedUp(fiat, quoted, coin);
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

/** fiat ÷ coin amount, rounded up to {@link RATE_SCALE} places. */
function fiatPerCoinRoundedUp(fiat: FiatAmount, units: bigint, coin: CoinDefinition): string {
  const numerator = fiat.minor * 10n ** BigInt(coin.decimals + RATE_SCALE);
  const denominator = units * 10n ** BigInt(currencyExponent(fiat.currency));
  return formatUnits(divideRoundingUp(numerator, denominator), RATE_SCALE);
}
