import {
  asJsonObject,
  type ExactJson,
  JsonNumber,
  JsonSyntaxError,
  parseJsonExact,
  type RawCallback,
} from '@cryptopay/provider-kit';

/** How BlockBee delivered a webhook: query string (default), form body (`post=1`) or JSON body (`json=1`). */
export type CallbackEncoding = 'get' | 'form' | 'json';

/** A field as it appeared on the wire: JSON strings and numbers are told apart, both kept as exact text. */
export type WireValue =
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'number'; readonly text: string }
  /** Repeated (`a=1&a=2`) or not a scalar (an object, array, boolean or null). */
  | { readonly kind: 'unusable'; readonly why: string };

export type WireFields = ReadonlyMap<string, WireValue>;

/** The fields of one delivery, or why they cannot be read (a 400). */
export type FieldsResult =
  | { readonly ok: true; readonly encoding: CallbackEncoding; readonly fields: WireFields; readonly query: WireFields }
  | { readonly ok: false; readonly reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits a raw callback into BlockBee's signed fields and our own query parameters. With GET both
 * live in the query string; with POST the fields come from the body only (the query string is not
 * signed there), whatever the query string also says.
 */
export function readCallbackFields(raw: RawCallback, query: string): FieldsResult {
  const queryFields = formFields(query);
  if (raw.method === 'GET') return { ok: true, encoding: 'get', fields: queryFields, query: queryFields };
  if (raw.method !== 'POST') return { ok: false, reason: `method ${raw.method} is not used by BlockBee callbacks (GET or POST)` };
  let body: string;
  try {
    body = utf8.decode(raw.body);
  } catch {
    return { ok: false, reason: 'the callback body is not valid UTF-8' };
  }
  if (isJson(raw.headers['content-type'], body)) {
    const parsed = jsonFields(body);
    return parsed.ok ? { ok: true, encoding: 'json', fields: parsed.fields, query: queryFields } : parsed;
  }
  return { ok: true, encoding: 'form', fields: formFields(body), query: queryFields };
}

// BlockBee's docs disagree on how `post` and `json` combine, so the body is recognised by its
// declared type, and by its shape when the type is missing or generic.
function isJson(contentType: string | undefined, body: string): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') return true;
  if (type === 'application/x-www-form-urlencoded') return false;
  return body.trimStart().startsWith('{');
}

function formFields(text: string): WireFields {
  const fields = new Map<string, WireValue>();
  for (const [name, value] of new URLSearchParams(text)) {
    fields.set(name, fields.has(name) ? repeated(name) : { kind: 'string', text: value });
  }
  return fields;
}

function jsonFields(body: string): { ok: true; fields: WireFields } | { ok: false; reason: string } {
  let parsed: ExactJson;
  try {
    parsed = parseJsonExact(body);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return { ok: false, reason: `the callback body is not valid JSON: ${error.message}` };
  }
  const object = asJsonObject(parsed);
  if (!object) return { ok: false, reason: 'the callback body is JSON but not an object' };
  const fields = new Map<string, WireValue>();
  for (const [name, value] of Object.entries(object)) fields.set(name, jsonValue(value));
  return { ok: true, fields };
}

function jsonValue(value: ExactJson): WireValue {
  if (typeof value === 'string') return { kind: 'string', text: value };
  if (value instanceof JsonNumber) return { kind: 'number', text: value.source };
  return { kind: 'unusable', why: `is ${jsonKind(value)}` };
}

function jsonKind(value: ExactJson): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : 'a boolean';
}

function repeated(name: string): WireValue {
  return { kind: 'unusable', why: `appears more than once (${name}=…&${name}=…)` };
}
