import { type RawCallback } from '@cryptopay/provider-kit';
import { INVOICE_PARAM, NONCE_PARAM } from './callback-url.js';
import { type CallbackEncoding, readCallbackFields, type WireFields } from './fields.js';
import { wireOk as ok, wireProblem as problem, type WireResult } from '@cryptopay/provider-kit';
import { isTicker } from './ticker.js';

/**
 * One BlockBee webhook (Custom Payment Flow) as sent, values as their exact text. Only the fields
 * we act on are read; the rest (`address_out`, `price`, the `*_convert` JSON strings…) is ignored.
 */
export interface BlockBeeWebhook {
  readonly encoding: CallbackEncoding;
  /** Shared by the pending and the confirmed webhook of one transaction. */
  readonly uuid: string;
  readonly addressIn: string;
  readonly txidIn: string;
  /** Ticker, underscore form (`trc20_usdt`). */
  readonly coin: string;
  /** `true` for the pending (mempool) webhook, `false` for the confirmed one. */
  readonly pending: boolean;
  /**
   * Decimal amount in coin units, exactly as written (a JSON number's source text in JSON mode).
   * BlockBee's newer docs list it on confirmed webhooks only, so a pending one may lack it.
   */
  readonly valueCoin: string | null;
  /** Integer text; absent on pending webhooks. */
  readonly confirmations: string | null;
  /**
   * Set by this package's simulator for a sandbox test payment (`cryptopay_test=1`, signed like
   * every field); BlockBee never sends it.
   */
  readonly testPayment: boolean;
  /** Our parameters from the callback URL's query string, as sent: the mapping checks that the id can be ours. */
  readonly invoiceId: string;
  /** null when the query string carries none (the core's binding refuses that). */
  readonly nonce: string | null;
}

/** Not a BlockBee field: the simulator's mark on a sandbox test payment. */
export const TEST_PAYMENT_FIELD = 'cryptopay_test';

const UUID = /^[A-Za-z0-9-]{1,100}$/;
const ADDRESS = /^[A-Za-z0-9:]{1,128}$/;
const TXID = /^[A-Za-z0-9]{1,128}$/;
const CONFIRMATIONS = /^(?:0|[1-9][0-9]{0,8})$/;

/** Strictly reads a webhook; a missing or malformed field is a problem naming it. */
export function readWebhook(raw: RawCallback): WireResult<BlockBeeWebhook> {
  const read = readCallbackFields(raw);
  if (!read.ok) return read;
  const { encoding, fields, query } = read.value;
  const invoiceId = text(query, INVOICE_PARAM, 'string');
  if (!invoiceId.ok) return invoiceId;
  const uuid = matching(fields, 'uuid', UUID, 'a UUID');
  if (!uuid.ok) return uuid;
  const addressIn = matching(fields, 'address_in', ADDRESS, 'an address');
  if (!addressIn.ok) return addressIn;
  const txidIn = matching(fields, 'txid_in', TXID, 'a transaction id');
  if (!txidIn.ok) return txidIn;
  const coin = ticker(fields);
  if (!coin.ok) return coin;
  const isPending = pending(fields);
  if (!isPending.ok) return isPending;
  const amounts = amountTexts(fields);
  if (!amounts.ok) return amounts;
  const nonce = optional(query, NONCE_PARAM, () => text(query, NONCE_PARAM, 'string'));
  if (!nonce.ok) return nonce;
  return ok({
    encoding,
    uuid: uuid.value,
    addressIn: addressIn.value,
    txidIn: txidIn.value,
    coin: coin.value,
    pending: isPending.value,
    ...amounts.value,
    testPayment: isTestPayment(fields),
    invoiceId: invoiceId.value,
    nonce: nonce.value,
  });
}

type AmountTexts = Pick<BlockBeeWebhook, 'valueCoin' | 'confirmations'>;

function amountTexts(fields: WireFields): WireResult<AmountTexts> {
  const valueCoin = optional(fields, 'value_coin', () => text(fields, 'value_coin', 'decimal'));
  if (!valueCoin.ok) return valueCoin;
  const confirmations = optional(fields, 'confirmations', () => matching(fields, 'confirmations', CONFIRMATIONS, 'a whole number', 'decimal'));
  if (!confirmations.ok) return confirmations;
  return ok({ valueCoin: valueCoin.value, confirmations: confirmations.value });
}

function optional(fields: WireFields, name: string, read: () => WireResult<string>): WireResult<string | null> {
  return fields.has(name) ? read() : ok(null);
}

/** `string`: must be text (a JSON string); `decimal`: a JSON number or its text (GET/form send text). */
function text(fields: WireFields, name: string, type: 'string' | 'decimal'): WireResult<string> {
  const value = fields.get(name);
  if (value === undefined) return problem(`${name} is missing`);
  if (value.kind === 'unusable') return problem(`${name} ${value.why}`);
  if (type === 'string' && value.kind !== 'string') return problem(`${name} must be a string, not a number`);
  return ok(value.text);
}

function matching(fields: WireFields, name: string, shape: RegExp, expected: string, type: 'string' | 'decimal' = 'string'): WireResult<string> {
  const value = text(fields, name, type);
  if (value.ok && !shape.test(value.value)) return problem(`${name} ${JSON.stringify(value.value.slice(0, 40))} is not ${expected}`);
  return value;
}

function ticker(fields: WireFields): WireResult<string> {
  const coin = text(fields, 'coin', 'string');
  if (coin.ok && !isTicker(coin.value)) return problem(`coin ${JSON.stringify(coin.value.slice(0, 40))} is not a BlockBee ticker`);
  return coin;
}

function pending(fields: WireFields): WireResult<boolean> {
  const value = text(fields, 'pending', 'decimal');
  if (!value.ok) return value;
  if (value.value !== '0' && value.value !== '1') return problem(`pending must be 0 or 1, not ${JSON.stringify(value.value.slice(0, 40))}`);
  return ok(value.value === '1');
}

function isTestPayment(fields: WireFields): boolean {
  const value = fields.get(TEST_PAYMENT_FIELD);
  return value !== undefined && value.kind !== 'unusable' && value.text === '1';
}
