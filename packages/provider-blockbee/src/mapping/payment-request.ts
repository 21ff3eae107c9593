import { type CoinDefinition, currencyExponent, divideRoundingUp, type FiatAmount, formatUnits, parseExchangeRate, quoteCoinAmount } from '@cryptopay/invoice';
import { type PaymentRequest } from '@cryptopay/provider-kit';
import { type CoinInfoResponse, type ConvertResponse, type CreateAddressResponse } from '../wire/api.js';
import { wireOk as ok, wireProblem as problem, type WireResult } from '@cryptopay/provider-kit';
import { coinUnitsRoundedUp, exactly } from './amounts.js';

/** Decimal places kept in the derived fiat-per-coin rate: the most an exchange rate may carry. */
const RATE_SCALE = 18;

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
 * BlockBee's quote itself whenever 18 decimals of rate can express it (every realistic case). So
 * the amount is quoted by us from the rate (`quotedBy: 'rate'`).
 */
export function toPaymentRequest(parts: PaymentRequestParts): WireResult<PaymentRequest> {
  const { coin, fiat } = parts;
  const quoted = coinUnitsRoundedUp(coin, parts.quote.valueCoin, 'convert value_coin');
  if (!quoted.ok) return quoted;
  if (quoted.value === 0n) return problem(`convert value_coin "${parts.quote.valueCoin}" is zero`);
  const minimum = coinUnitsRoundedUp(coin, parts.info.minimumTransactionCoin, 'info minimum_transaction_coin');
  if (!minimum.ok) return minimum;
  const rate = fiatPerCoinRoundedUp(fiat, quoted.value, coin);
  const amountDue = exactly(() => quoteCoinAmount(fiat, parseExchangeRate(fiat.currency, rate), coin));
  if (!amountDue.ok) return amountDue;
  return ok({
    address: parts.created.addressIn,
    amountDue: amountDue.value,
    rate,
    quotedBy: 'rate',
    providerReference: parts.callbackUrl,
    minimumPayment: minimum.value,
  });
}

/** fiat ÷ coin amount, rounded up to {@link RATE_SCALE} places. */
function fiatPerCoinRoundedUp(fiat: FiatAmount, units: bigint, coin: CoinDefinition): string {
  const numerator = fiat.minor * 10n ** BigInt(coin.decimals + RATE_SCALE);
  const denominator = units * 10n ** BigInt(currencyExponent(fiat.currency));
  return formatUnits(divideRoundingUp(numerator, denominator), RATE_SCALE);
}
