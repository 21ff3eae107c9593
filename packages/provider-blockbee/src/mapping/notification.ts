import { type CoinDefinition } from '@cryptopay/invoice';
import { type CallbackNotification, type CallbackRefusal, rejected } from '@cryptopay/provider-kit';
import { isInvoiceId } from '../wire/callback-url.js';
import { type BlockBeeWebhook } from '../wire/callback.js';
import { wireOk as ok, type WireResult } from '@cryptopay/provider-kit';
import { paidCoinUnits } from './amounts.js';
import { coinForTicker } from './coins.js';

/**
 * A verified webhook in our model. The pending webhook is `seen`, the confirmed one (sent after the
 * confirmations the address was created with) `confirmed`. Both share BlockBee's `uuid`, so the
 * delivery key adds the state: the confirmed webhook must not be swallowed as a duplicate. The
 * notification carries what binds it to its invoice — the invoice id and nonce of our callback URL,
 * the signed `address_in` and the webhook's own coin — and the core's binding policy checks them.
 */
export function toNotification(webhook: BlockBeeWebhook, allowTestPayments: boolean): CallbackNotification | CallbackRefusal {
  const coin = coinForTicker(webhook.coin);
  if (!coin) return rejected(400, `coin "${webhook.coin}" is not one this adapter supports`);
  const amount = amountOf(coin, webhook);
  if (!amount.ok) return rejected(400, amount.problem);
  if (amount.value === null && !webhook.pending) return rejected(400, 'value_coin is missing');
  const deliveryKey = `blockbee:${webhook.uuid}:${webhook.pending ? 'pending' : 'confirmed'}`;
  if (!isInvoiceId(webhook.invoiceId)) return { deliveryKey, ignoreReason: IGNORED.notOurs };
  if (amount.value === null) return { deliveryKey, ignoreReason: IGNORED.noAmount };
  if (webhook.testPayment && !allowTestPayments) return { deliveryKey, ignoreReason: IGNORED.testPayment };
  return {
    deliveryKey,
    invoice: { by: 'id', invoiceId: webhook.invoiceId },
    payment: {
      coin: coin.code,
      address: webhook.addressIn,
      txid: webhook.txidIn,
      amount: amount.value,
      kind: webhook.pending ? 'seen' : 'confirmed',
      confirmations: webhook.pending ? 0 : confirmations(webhook.confirmations),
      rbf: false,
      test: webhook.testPayment,
    },
    ...(webhook.nonce === null ? {} : { nonce: webhook.nonce }),
  };
}

/**
 * `value_coin`, or null when the webhook has none. The legacy `value` is never read: it is not base
 * units for tokens (`value=200` beside `value_coin=2.00011` for bep20 USDT).
 */
function amountOf(coin: CoinDefinition, webhook: BlockBeeWebhook): WireResult<bigint | null> {
  return webhook.valueCoin === null ? ok(null) : paidCoinUnits(coin, webhook.valueCoin, 'value_coin');
}

/**
 * Authentic webhooks that must change nothing, acknowledged `*ok*` so BlockBee does not retry them
 * for three days: one whose `invoice` parameter is no invoice id of ours (retrying cannot make it
 * match, and it is never looked up: a NUL in it made the store fail, so BlockBee retried), a pending
 * one without an amount (the confirmed webhook records the payment) and a sandbox test payment while
 * test payments are not allowed.
 */
const IGNORED = {
  notOurs: 'the invoice parameter is not one of our invoice ids (a UUID); no invoice of ours can match',
  noAmount: 'a pending webhook without value_coin; the confirmed webhook records the payment',
  testPayment: 'a sandbox test payment while test payments are not allowed',
} as const;

function confirmations(text: string | null): number | null {
  return text === null ? null : Number.parseInt(text, 10);
}
