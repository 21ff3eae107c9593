import { MoneyError, parseCoinAmount } from '@cryptopay/invoice';
import { type CallbackNotification, type CallbackVerdict, rejected } from '@cryptopay/provider-kit';
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
  let amount: bigint;
  try {
    amount = parseCoinAmount(coin, webhook.valueCoin, 'value_coin');
  } catch (error) {
    if (error instanceof MoneyError) return reject(error.message);
    throw error;
  }
  return {
    deliveryKey: `blockbee:${webhook.uuid}:${webhook.pending ? 'pending' : 'confirmed'}`,
    invoice: { by: 'id', invoiceId: webhook.invoiceId },
    observation: {
      coin: coin.code,
      txid: webhook.txidIn,
      address: webhook.addressIn,
      amount,
      kind: webhook.pending ? 'seen' : 'confirmed',
      confirmations: webhook.pending ? 0 : confirmations(webhook.confirmations),
      rbf: false,
      test: webhook.testPayment,
    },
    ...(webhook.testPayment && !allowTestPayments ? { ignoreReason: 'a sandbox test payment while test payments are not allowed' } : {}),
  };
}

function confirmations(text: string | null): number | null {
  return text === null ? null : Number.parseInt(text, 10);
}

function reject(reason: string): Rejection {
  return rejected(400, reason) as Rejection;
}
