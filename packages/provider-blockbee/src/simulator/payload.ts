import { type CoinDefinition, formatCoinAmount, MoneyError, parseCoinAmount, parseExchangeRate } from '@cryptopay/invoice';
import { coinForTicker } from '../mapping/coins.js';
import { TEST_PAYMENT_FIELD } from '../wire/callback.js';
import { type SimulatedAddress, type SimulatedTransaction } from './ledger.js';
import { number, text, type FieldValue, type WebhookFields } from './webhook.js';

/** BlockBee's fee on forwarded funds, in percent of the value. */
const FEE_PERCENT = 1n;

/**
 * The fields of the pending or the confirmed webhook for a transaction, in BlockBee's order. The
 * `*_convert` fields are JSON-encoded strings, as BlockBee sends them even inside a JSON body.
 */
export function webhookFields(address: SimulatedAddress, transaction: SimulatedTransaction, pending: boolean, usdPrice: string): WebhookFields {
  const fields: Array<readonly [string, FieldValue]> = [
    ['uuid', text(transaction.uuid)],
    ['address_in', text(address.addressIn)],
    ['address_out', text(address.addressOut)],
    ['txid_in', text(transaction.txidIn)],
  ];
  if (!pending) fields.push(['txid_out', text(transaction.txidOut)], ['confirmations', number(String(address.confirmations))]);
  fields.push(['value_coin', number(transaction.valueCoin)]);
  const coin = coinForTicker(transaction.coin);
  const units = coin ? exactUnits(coin, transaction.valueCoin) : null;
  if (coin && units !== null) fields.push(...amountFields(coin, units, pending, usdPrice));
  fields.push(['coin', text(transaction.coin)], ['price', number(usdPrice)], ['pending', number(pending ? '1' : '0')]);
  if (transaction.test) fields.push([TEST_PAYMENT_FIELD, number('1')]);
  return fields;
}

/** The legacy integer `value` and the fiat conversions; only for values written as plain decimals. */
function amountFields(coin: CoinDefinition, units: bigint, pending: boolean, usdPrice: string): Array<readonly [string, FieldValue]> {
  const fields: Array<readonly [string, FieldValue]> = [
    ['value', number(units.toString())],
    ['value_coin_convert', text(usdConversion(coin, units, usdPrice))],
  ];
  if (pending) return fields;
  const fee = (units * FEE_PERCENT) / 100n;
  return [
    ...fields,
    ['value_forwarded_coin', number(formatCoinAmount(coin, units - fee))],
    ['value_forwarded_coin_convert', text(usdConversion(coin, units - fee, usdPrice))],
    ['fee_coin', number(formatCoinAmount(coin, fee))],
  ];
}

function exactUnits(coin: CoinDefinition, valueCoin: string): bigint | null {
  try {
    return parseCoinAmount(coin, valueCoin);
  } catch (error) {
    if (error instanceof MoneyError) return null;
    throw error;
  }
}

/** `{"USD": "3.20"}`: the value in US dollars, rounded half up to cents, as a JSON-encoded string. */
function usdConversion(coin: CoinDefinition, units: bigint, usdPrice: string): string {
  const price = parseExchangeRate('USD', usdPrice).perCoin;
  const denominator = 10n ** BigInt(coin.decimals + price.scale);
  const cents = (2n * units * price.coefficient * 100n + denominator) / (2n * denominator);
  const usd = `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
  return `{"USD": "${usd}"}`;
}
