import { asJsonObject, type ExactJson, jsonField, jsonNumberText, jsonString } from '@cryptopay/provider-kit';
import { type WireResult } from '@cryptopay/provider-kit';

/** `POST /api/new_address` answer: `{"address": "bc1q…", "account"?: "xpub…"}`. */
export interface NewAddressResponse {
  readonly address: string;
  /** The store's xpub the address was derived from, when Blockonomics says. */
  readonly account: string | undefined;
}

/** `GET /api/price` answer: `{"price": 64123.45}` (fiat per coin), `{"price": null}` for an unknown currency. */
export interface PriceResponse {
  /** The price's exact JSON source text, or null. */
  readonly price: string | null;
}

/** An error answer, in either of the shapes Blockonomics uses: `{"message"}` or `{"error": {"message"}}`, with an optional numeric `code`. */
export interface ErrorResponse {
  readonly message: string | undefined;
  readonly code: string | undefined;
}

export function readNewAddressResponse(body: ExactJson): WireResult<NewAddressResponse> {
  const object = asJsonObject(body);
  const address = object && jsonString(jsonField(object, 'address'));
  if (!object || !address) return { ok: false, problem: 'the answer has no "address" string' };
  return { ok: true, value: { address, account: jsonString(jsonField(object, 'account')) } };
}

export function readPriceResponse(body: ExactJson): WireResult<PriceResponse> {
  const object = asJsonObject(body);
  const price = object && jsonField(object, 'price');
  if (price === null) return { ok: true, value: { price: null } };
  const text = jsonNumberText(price);
  if (text === undefined) return { ok: false, problem: 'the answer has no numeric "price"' };
  return { ok: true, value: { price: text } };
}

export function readErrorResponse(body: ExactJson): ErrorResponse {
  const object = asJsonObject(body);
  const nested = object && asJsonObject(jsonField(object, 'error'));
  const source = nested ?? object;
  if (!source) return { message: undefined, code: undefined };
  const code = jsonField(source, 'code') ?? (object && jsonField(object, 'code'));
  return {
    message: jsonString(jsonField(source, 'message')) ?? (object && jsonString(jsonField(object, 'error'))),
    code: jsonNumberText(code) ?? jsonString(code),
  };
}
