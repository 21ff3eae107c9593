import { generateKeyPairSync, sign } from 'node:crypto';
import { createInvoice, type Invoice, invoicePolicy } from '@cryptopay/invoice';
import { type RawCallback } from '@cryptopay/provider-kit';
import { BlockBeeAdapter, type BlockBeeOptions, validateBlockBeeOptions } from '../../src/index.js';

/** A stand-in for BlockBee's signing key, so tests can sign what BlockBee would. */
const keys = generateKeyPairSync('rsa', { modulusLength: 1024 });
export const TEST_PUBLIC_KEY_PEM = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
export const BLOCKBEE_IP = '51.77.105.132';
export const PUBLIC_BASE_URL = 'https://shop.example';

export function signBytes(data: Uint8Array | string): string {
  return sign('sha256', typeof data === 'string' ? Buffer.from(data) : data, keys.privateKey).toString('base64');
}

/** An adapter as the module builds it: from options validated with every default filled in. */
export function adapterFrom({ onWarning, ...options }: BlockBeeOptions & { readonly onWarning?: (message: string) => void }): BlockBeeAdapter {
  return new BlockBeeAdapter({ ...validateBlockBeeOptions(options), ...(onWarning ? { onWarning } : {}) });
}

export function testAdapter(options: Partial<BlockBeeOptions> = {}): BlockBeeAdapter {
  return adapterFrom({ apiKey: 'test-api-key', publicKeyPem: TEST_PUBLIC_KEY_PEM, ...options });
}

/** Invoice ids are UUIDs, as the core creates them. */
export const INVOICE_ID = '5b0f3c9e-8d4a-4f57-9a61-2c7e0d3b1a84';
export const NONCE = 'n0nce-n0nce-n0nce-n0nc';
export const ADDRESS = 'bc1qinvoiceaddress0000000000000000000000';
export const CALLBACK_PATH = `/v1/callbacks/blockbee?invoice=${INVOICE_ID}&nonce=${NONCE}`;

interface Delivery {
  readonly target?: string;
  readonly socketAddress?: string;
  readonly headers?: Record<string, string | undefined>;
}

/** A JSON POST as BlockBee sends it with `post=1&json=1`, signed over the raw body. */
export function jsonCallback(body: string, delivery: Delivery = {}): RawCallback {
  return signedPost(body, 'application/json', delivery);
}

/** A form POST (`post=1`), signed over the raw body. */
export function formCallback(body: string, delivery: Delivery = {}): RawCallback {
  return signedPost(body, 'application/x-www-form-urlencoded', delivery);
}

/** A GET: the fields appended to the callback URL, signed over the full external URL. */
export function getCallback(fieldsQuery: string, delivery: Delivery = {}): RawCallback {
  const target = `${delivery.target ?? CALLBACK_PATH}&${fieldsQuery}`;
  const url = `${PUBLIC_BASE_URL}${target}`;
  return raw('GET', target, Buffer.alloc(0), { 'x-ca-signature': signBytes(url), ...delivery.headers }, delivery.socketAddress);
}

function signedPost(body: string, contentType: string, delivery: Delivery): RawCallback {
  const bytes = Buffer.from(body, 'utf8');
  const headers = { 'content-type': contentType, 'x-ca-signature': signBytes(bytes), ...delivery.headers };
  return raw('POST', delivery.target ?? CALLBACK_PATH, bytes, headers, delivery.socketAddress);
}

function raw(method: string, target: string, body: Uint8Array, headers: Record<string, string | undefined>, socketAddress = BLOCKBEE_IP): RawCallback {
  return { method, target, url: `${PUBLIC_BASE_URL}${target}`, headers, body, socketAddress, receivedAt: new Date() };
}

/** The confirmed webhook of BlockBee's documented example, for our invoice, with `value_coin` as given. */
export function confirmedJson(valueCoin = '0.05', overrides: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    uuid: '"dbfcb40e-5a6b-4305-9fa2-b0fbda6e3ff2"',
    address_in: `"${ADDRESS}"`,
    address_out: '{"1H6ZZpRmMnrw8ytepV3BYwMjYYnEkWDqVP": 1}',
    txid_in: '"a2174ffd39289100709f2a07b129cdbba69df2e22e5be1830221dab1fd4e332c"',
    txid_out: '"b3285ffd39289100709f2a07b129cdbba69df2e22e5be1830221dab1fd4e332c"',
    confirmations: '3',
    value_coin: valueCoin,
    value_coin_convert: '"{\\"USD\\": \\"3.20\\", \\"EUR\\": \\"3.05\\"}"',
    value_forwarded_coin: '0.0495',
    fee_coin: '0.0005',
    coin: '"btc"',
    price: '64000',
    pending: '0',
    ...overrides,
  };
  return `{${Object.entries(fields).map(([name, literal]) => `"${name}": ${literal}`).join(', ')}}`;
}

/** The stored invoice the core would hold for {@link ADDRESS}, with its callback URL as provider reference. */
export function storedInvoice(overrides: Partial<Invoice> = {}): Invoice {
  const { invoice } = createInvoice(
    {
      id: INVOICE_ID,
      provider: 'blockbee',
      coin: 'BTC',
      orderId: 'order-1',
      fiat: { currency: 'USD', minor: 2500n },
      rate: '64000',
      amountDue: 39063n,
      address: ADDRESS,
      providerReference: `${PUBLIC_BASE_URL}${CALLBACK_PATH}`,
    },
    invoicePolicy(),
    new Date('2026-11-22T00:00:00Z'),
  );
  return { ...invoice, ...overrides };
}

/** The confirmed JSON webhook for {@link INVOICE_ID}, signed with the simulator's key, from loopback. */
export function simulatorSignedWebhook(simulator: { sign(body: Buffer): string }, receivedAt: Date): RawCallback {
  const body = Buffer.from(confirmedJson());
  return {
    method: 'POST',
    target: `/cb?invoice=${INVOICE_ID}&nonce=x`,
    url: `https://shop.example/cb?invoice=${INVOICE_ID}&nonce=x`,
    headers: { 'content-type': 'application/json', 'x-ca-signature': simulator.sign(body) },
    body,
    socketAddress: '127.0.0.1',
    receivedAt,
  };
}
