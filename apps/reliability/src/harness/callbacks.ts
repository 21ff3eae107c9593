import { randomBytes, randomUUID } from 'node:crypto';
import { type BlockBeeSimulator } from '@cryptopay/provider-blockbee/simulator';

/** One pre-built HTTP request to a gateway (signed already). */
export interface PreparedRequest {
  readonly method: 'GET' | 'POST';
  /** The request target: path and query, exactly as sent. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface WebhookPayment {
  /** The invoice's `address_in`. */
  readonly address: string;
  /** Coin units, exact decimal text (an unquoted JSON number, as BlockBee writes it). */
  readonly valueCoin: string;
  readonly pending: boolean;
  readonly txid?: string;
  readonly uuid?: string;
}

/**
 * A BlockBee JSON webhook to the invoice's own callback URL (invoice id and nonce in the query),
 * laid out as BlockBee's `json.dumps` writes it and signed with the simulator's key.
 */
export function blockbeeWebhook(simulator: BlockBeeSimulator, payment: WebhookPayment): PreparedRequest {
  const address = simulator.address(payment.address);
  if (!address) throw new Error(`the BlockBee simulator never handed out ${payment.address}`);
  const callback = new URL(address.callbackUrl);
  const fields: [string, string][] = [
    ['uuid', JSON.stringify(payment.uuid ?? randomUUID())],
    ['address_in', JSON.stringify(payment.address)],
    ['address_out', JSON.stringify(address.addressOut)],
    ['txid_in', JSON.stringify(payment.txid ?? randomTxid())],
    ...(payment.pending ? [] : ([['txid_out', JSON.stringify(randomTxid())], ['confirmations', String(address.confirmations)]] as [string, string][])),
    ['value_coin', payment.valueCoin],
    ['coin', JSON.stringify(address.ticker)],
    ['price', '64000'],
    ['pending', payment.pending ? '1' : '0'],
  ];
  const body = `{${fields.map(([name, value]) => `"${name}": ${value}`).join(', ')}}`;
  return {
    method: 'POST',
    path: `${callback.pathname}${callback.search}`,
    headers: { 'content-type': 'application/json', 'x-ca-signature': simulator.sign(body) },
    body,
  };
}

export interface BlockonomicsPayment {
  readonly address: string;
  /** Satoshi. */
  readonly value: bigint;
  readonly status: -1 | 0 | 1 | 2;
  readonly txid?: string;
}

/** A Blockonomics GET callback: the store's callback URL (with its secret) plus the status parameters. */
export function blockonomicsCallback(secret: string, payment: BlockonomicsPayment): PreparedRequest {
  const query = new URLSearchParams({ secret, status: String(payment.status), addr: payment.address, value: payment.value.toString(), txid: payment.txid ?? randomTxid(), crypto: 'BTC' });
  return { method: 'GET', path: `/v1/callbacks/blockonomics?${query.toString()}`, headers: {} };
}

export function randomTxid(): string {
  return randomBytes(32).toString('hex');
}
