import { type KeyObject, sign } from 'node:crypto';
import { type CallbackEncoding } from '../wire/fields.js';

/** A webhook field as BlockBee writes it: JSON numbers stay their exact decimal text. */
export type FieldValue = { readonly kind: 'string' | 'number'; readonly text: string };
export type WebhookFields = ReadonlyArray<readonly [string, FieldValue]>;

export const text = (value: string): FieldValue => ({ kind: 'string', text: value });
export const number = (value: string): FieldValue => ({ kind: 'number', text: value });

/** One HTTP request to a merchant's callback URL, signed, ready to send (and to resend unchanged). */
export interface SignedDelivery {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** RSA-SHA256 (PKCS#1 v1.5) over `data`, base64 — what BlockBee puts in `x-ca-signature`. */
export function signData(privateKey: KeyObject, data: Uint8Array | string): string {
  return sign('sha256', typeof data === 'string' ? Buffer.from(data, 'utf8') : data, privateKey).toString('base64');
}

/**
 * Encodes like BlockBee: GET appends the fields to the callback URL (form-encoded, so spaces become
 * `+`) and signs that full URL; POST sends a form or JSON body and signs the body bytes. The merchant's
 * own query parameters stay in the URL in every mode.
 */
export function encodeWebhook(callbackUrl: string, fields: WebhookFields, encoding: CallbackEncoding, privateKey: KeyObject): SignedDelivery {
  const form = new URLSearchParams(fields.map(([name, value]): [string, string] => [name, value.text])).toString();
  if (encoding === 'get') {
    const url = `${callbackUrl}${callbackUrl.includes('?') ? '&' : '?'}${form}`;
    return { method: 'GET', url, headers: { 'x-ca-signature': signData(privateKey, url) }, body: Buffer.alloc(0) };
  }
  const body = Buffer.from(encoding === 'json' ? jsonObject(fields) : form, 'utf8');
  const contentType = encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
  return { method: 'POST', url: callbackUrl, headers: { 'content-type': contentType, 'x-ca-signature': signData(privateKey, body) }, body };
}

/** Python's `json.dumps` layout (BlockBee's), numbers written as their decimal text. */
function jsonObject(fields: WebhookFields): string {
  const members = fields.map(([name, value]) => `${JSON.stringify(name)}: ${value.kind === 'number' ? value.text : JSON.stringify(value.text)}`);
  return `{${members.join(', ')}}`;
}
