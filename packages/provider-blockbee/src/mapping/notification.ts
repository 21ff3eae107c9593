import { type CoinDefinition, MoneyError, parseBaseUnits, parseCoinAmount } from '@cryptopay/invoice';
import { type CallbackNotification, type CallbackVerdict, rejected } from '@cryptopay/provider-kit';
import { isInvoiceId } from '../wire/callback-url.js';
import { type BlockBeeWebhook } from '../wire/webhook.js';
import { coinForTicker } from './coins.js';

type Rejection = Extract<CallbackVerdict, { accepted: false }>;

/**
 * A verified webhook in our model. The pending webhook is `seen`, the confirmed one (sent after the
 * confirmations the address was created with) `confirmed`. Both share BlockBee's `uuid`, so the
 * delivery key adds the state: the confirmed webhook must not be swallowed as a duplicate. The
 * payment identity is `(coin, txid_in, address_in)`; the coin is the webhook's own, so a payment in
 * another coin than the invoice's is recorded by the invoice domain but not counted. A sandbox test
 * payment is ignored (acknowledged, changing nothing) unless test payments are allowed.
 */
export function toNotification(webhook: BlockBeeWebhook, allowTestPayments: boolean): CallbackNotification | Rejection {
  const coin = coinForTicker(webhook.coin);
  if (!coin) return reject(`coin "${webhook.coin}" is not one this adapter supports`);
  let amount: bigint | null;
  try {
    amount = amountOf(coin, webhook);
  } catch (error) {
    if (error instanceof MoneyError) return reject(error.message);
    throw error;
  }
  if (amount === null && !webhook.pending) return reject('value_coin is missing');
  return {
    deliveryKey: `blockbee:${webhook.uuid}:${webhook.pending ? 'pending' : 'confirmed'}`,
    invoice: { by: 'id', invoiceId: webhook.invoiceId },
    observation: {
      coin: coin.code,
      txid: webhook.txidIn,
      address: webhook.addressIn,
      amount: amount ?? 0n,
      kind: webhook.pending ? 'seen' : 'confirmed',
      confirmations: webhook.pending ? 0 : confirmations(webhook.confirmations),
      rbf: false,
      test: webhook.testPayment,
    },
    ...ignored(webhook, amount, allowTestPayments),
  };
}

/** `value_coin` when present, else the legacy base-unit `value`; null when the webhook has neither. */
function amountOf(coin: CoinDefinition, webhook: BlockBeeWebhook): bigint | null {
  if (webhook.valueCoin !== null) return parseCoinAmount(coin, webhook.valueCoin, 'value_coin');
  if (webhook.legacyValue !== null) return parseBaseUnits(coin, webhook.legacyValue, 'value');
  return null;
}

/**
 * Authentic webhooks that must change nothing, acknowledged `*ok*` so BlockBee does not retry them
 * for three days: one whose `invoice` parameter is no invoice id of ours (retrying cannot make it
 * match, and it is never looked up: a NUL in it made the store fail, so BlockBee retried), a pending
 * one without an amount (the confirmed webhook records the payment) and a sandbox test payment while
 * test payments are not allowed.
 */
function ignored(webhook: BlockBeeWebhook, amount: bigint | null, allowTestPayments: boolean): { ignoreReason?: string } {
  if (!isInvoiceId(webhook.invoiceId)) return { ignoreReason: 'the invoice parameter is not one of our invoice ids (a UUID); no invoice of ours can match' };
  if (amount === null) return { ignoreReason: 'a pending webhook without value_coin; the confirmed webhook records the payment' };
  if (webhook.testPayment && !allowTestPayments) return { ignoreReason: 'a sandbox test payment while test payments are not allowed' };
  return {};
}

function confirmations(text: string | null): number | null {
  return text === null ? null : Number.parseInt(text, 10);
}

function reject(reason: string): Rejection {
  return rejected(400, reason) as Rejection;
}
