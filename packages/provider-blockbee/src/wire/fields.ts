import {
  asJsonObject,
  type ExactJson,
  JsonNumber,
  parseFormText,
  parseQueryString,
  type QueryParameter,
  type RawCallback,
} from '@cryptopay/provider-kit';
import { wireOk as ok, wireProblem as problem, type WireResult } from '@cryptopay/provider-kit';
import { readJson } from './reading.js';

/** How BlockBee delivered a webhook: query string (default), form body (`post=1`) or JSON body (`json=1`). */
export type CallbackEncoding = 'get' | 'form' | 'json';

/** A field as it appeared on the wire: JSON strings and numbers are told apart, both kept as exact text. */
export type WireValue =
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'number'; readonly text: string }
  /** Repeated (`a=1&a=2`) or not a scalar (an object, array, boolean or null). */
  | { readonly kind: 'unusable'; readonly why: string };

export type WireFields = ReadonlyMap<string, WireValue>;

/** One delivery's fields: BlockBee's (signed) and our own query parameters. */
export interface CallbackFields {
  readonly encoding: CallbackEncoding;
  readonly fields: WireFields;
  readonly query: WireFields;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits a raw callback into BlockBee's signed fields and our own query parameters. With GET both
 * live in the query string; with POST the fields come from the body only (the query string is not
 * signed there), whatever the query string also says.
 */
export function readCallbackFields(raw: RawCallback): WireResult<CallbackFields> {
  const parsedQuery = parseQueryString(raw.target);
  if (!parsedQuery.ok) return parsedQuery;
  const query = formFields(parsedQuery.parameters);
  if (raw.method === 'GET') return ok({ encoding: 'get', fields: query, query });
  if (raw.method !== 'POST') return problem(`method ${raw.method} is not used by BlockBee callbacks (GET or POST)`);
  const body = decodeUtf8(raw.body);
  if (body === null) return problem('the callback body is not valid UTF-8');
  if (isJson(raw.headers['content-type'], body)) {
    const fields = jsonFields(body);
    return fields.ok ? ok({ encoding: 'json', fields: fields.value, query }) : fields;
  }
  const form = parseFormText(body);
  return form.ok ? ok({ encoding: 'form', fields: formFields(form.parameters), query }) : problem(`the callback body is not a valid form: ${form.problem}`);
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

// BlockBee's docs disagree on how `post` and `json` combine, so the body is recognised by its
// declared type, and by its shape when the type is missing or generic.
function isJson(contentType: string | undefined, body: string): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') return true;
  if (type === 'application/x-www-form-urlencoded') return false;
  return body.trimStart().startsWith('{');
}

function formFields(parameters: readonly QueryParameter[]): WireFields {
  const fields = new Map<string, WireValue>();
  for (const { name, value } of parameters) {
    fields.set(name, fields.has(name) ? repeated(name) : { kind: 'string', text: value });
  }
  return fields;
}

function jsonFields(body: string): WireResult<WireFields> {
  const parsed = readJson(body);
  if (!parsed.ok) return problem(`the callback body is ${parsed.problem}`);
  const object = asJsonObject(parsed.value);
  if (!object) return problem('the callback body is JSON but not an object');
  const fields = new Map<string, WireValue>();
  for (const name of Object.keys(object)) {
    const value = object[name]!;
    // A JSON null is a field BlockBee left empty: absent, as in GET and form mode.
    if (value !== null) fields.set(name, jsonValue(value));
  }
  return ok(fields);
}

function jsonValue(value: ExactJson): WireValue {
  if (typeof value === 'string') return { kind: 'string', text: value };
  if (value instanceof JsonNumber) return { kind: 'number', text: value.source };
  return { kind: 'unusable', why: `is ${jsonKind(value)}` };
}

/** Of a non-null value: `jsonFields` has left out the nulls (absent fields). */
function jsonKind(value: ExactJson): string {
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : 'a boolean';
}

function repeated(name: string): WireValue {
  return { kind: 'unusable', why: `appears more than once (${name}=…&${name}=…)` };
}
