import { type RawCallback } from '@cryptopay/provider-kit';
import { INVOICE_PARAM, NONCE_PARAM, queryOf } from './callback-url.js';
import { type CallbackEncoding, readCallbackFields, type WireFields } from './fields.js';
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
  /** The legacy integer `value` in base units, still sent beside `value_coin`. */
  readonly legacyValue: string | null;
  /** Integer text; absent on pending webhooks. */
  readonly confirmations: string | null;
  /**
   * Set by this package's simulator for a sandbox test payment (`cryptopay_test=1`, signed like
   * every field); BlockBee never sends it.
   */
  readonly testPayment: boolean;
  /** Our parameters from the callback URL's query string, as sent: the mapping checks that the id can be ours. */
  readonly invoiceId: string;
  /** '' when the query string carries none (the binding step rejects that). */
  readonly nonce: string;
}

export type WebhookResult = { readonly ok: true; readonly webhook: BlockBeeWebhook } | { readonly ok: false; readonly reason: string };

/** Not a BlockBee field: the simulator's mark on a sandbox test payment. */
export const TEST_PAYMENT_FIELD = 'cryptopay_test';

const UUID = /^[A-Za-z0-9-]{1,100}$/;
const ADDRESS = /^[A-Za-z0-9:]{1,128}$/;
const TXID = /^[A-Za-z0-9]{1,128}$/;
const CONFIRMATIONS = /^(?:0|[1-9][0-9]{0,8})$/;

class FieldError extends Error {}

/** Strictly reads a webhook; a missing or malformed field is a reason naming it, never an exception. */
export function readWebhook(raw: RawCallback): WebhookResult {
  const read = readCallbackFields(raw, queryOf(raw.target));
  if (!read.ok) return read;
  try {
    const { fields, query } = read;
    const invoiceId = text(query, INVOICE_PARAM, 'string');
    return {
      ok: true,
      webhook: {
        encoding: read.encoding,
        uuid: matching(fields, 'uuid', UUID, 'a UUID'),
        addressIn: matching(fields, 'address_in', ADDRESS, 'an address'),
        txidIn: matching(fields, 'txid_in', TXID, 'a transaction id'),
        coin: ticker(fields),
        pending: pending(fields),
        valueCoin: fields.has('value_coin') ? text(fields, 'value_coin', 'decimal') : null,
        legacyValue: fields.has('value') ? text(fields, 'value', 'decimal') : null,
        confirmations: fields.has('confirmations') ? matching(fields, 'confirmations', CONFIRMATIONS, 'a whole number', 'decimal') : null,
        testPayment: isTestPayment(fields),
        invoiceId,
        nonce: query.has(NONCE_PARAM) ? text(query, NONCE_PARAM, 'string') : '',
      },
    };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** `string`: must be text (a JSON string); `decimal`: a JSON number or its text (GET/form send text). */
function text(fields: WireFields, name: string, type: 'string' | 'decimal'): string {
  const value = fields.get(name);
  if (value === undefined) throw new FieldError(`${name} is missing`);
  if (value.kind === 'unusable') throw new FieldError(`${name} ${value.why}`);
  if (type === 'string' && value.kind !== 'string') throw new FieldError(`${name} must be a string, not a number`);
  return value.text;
}

function matching(fields: WireFields, name: string, shape: RegExp, expected: string, type: 'string' | 'decimal' = 'string'): string {
  const value = text(fields, name, type);
  if (!shape.test(value)) throw new FieldError(`${name} ${JSON.stringify(value.slice(0, 40))} is not ${expected}`);
  return value;
}

function ticker(fields: WireFields): string {
  const coin = text(fields, 'coin', 'string');
  if (!isTicker(coin)) throw new FieldError(`coin ${JSON.stringify(coin.slice(0, 40))} is not a BlockBee ticker`);
  return coin;
}

function pending(fields: WireFields): boolean {
  const value = text(fields, 'pending', 'decimal');
  if (value !== '0' && value !== '1') throw new FieldError(`pending must be 0 or 1, not ${JSON.stringify(value.slice(0, 40))}`);
  return value === '1';
}

function isTestPayment(fields: WireFields): boolean {
  const value = fields.get(TEST_PAYMENT_FIELD);
  return value !== undefined && value.kind !== 'unusable' && value.text === '1';
}
