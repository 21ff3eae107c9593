import { REDACTED } from './secret.js';

/**
 * A callback body with the values of the named top-level fields (case-insensitive) replaced by
 * `[redacted]` — a form (`application/x-www-form-urlencoded`) or JSON body, told apart by the content
 * type, else by whether the body starts like a JSON object. Every other byte stays as it was (bytes in,
 * bytes out), so the logged body is still the evidence of what came in. A body that cannot be read to
 * the end is kept up to where reading stopped and `[redacted]` after it: what cannot be read cannot be
 * shown safely.
 */
export function redactBody(body: Uint8Array, contentType: string | undefined, fields: readonly string[]): Uint8Array;
export function redactBody(body: string, contentType: string | undefined, fields: readonly string[]): string;
export function redactBody(body: Uint8Array | string, contentType: string | undefined, fields: readonly string[]): Uint8Array | string {
  if (fields.length === 0 || body.length === 0) return body;
  const names = new Set(fields.map((name) => name.toLowerCase()));
  const isSecret = (name: string | null) => name === null || names.has(name.toLowerCase());
  if (typeof body === 'string') return redactText(body, contentType, isSecret, unchanged);
  // One char per byte: the structure (`&`, `=`, quotes, brackets) is ASCII, so positions stay exact.
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  const redacted = redactText(text, contentType, isSecret, fromLatin1);
  return redacted === text ? body : new Uint8Array(Buffer.from(redacted, 'latin1'));
}

/** One top-level field of a form or JSON body, as read. */
export interface BodyField {
  readonly name: string;
  /** A form value or JSON string decoded; any other JSON value as its source text. */
  readonly value: string;
}

/** The top-level fields of a form or JSON body, in order, or null when it cannot be read to the end. */
export function bodyFields(body: Uint8Array | string, contentType: string | undefined): BodyField[] | null {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  const toText = typeof body === 'string' ? unchanged : fromLatin1;
  const json = formatOf(text, contentType) === 'json';
  const read = json ? jsonFields(text, toText) : formFields(text, toText);
  if (read.unreadableFrom !== null) return null;
  return read.fields.map((field) => {
    const raw = toText(text.slice(field.valueStart, field.valueEnd));
    // Only strings are decoded: a number stays its source text, never a float.
    const decoded = json ? (raw.startsWith('"') ? decodeJsonString(raw) : raw) : decodeFormText(raw);
    return { name: field.name ?? '', value: decoded ?? raw };
  });
}

/** A top-level field: its decoded name (null when it cannot be decoded) and where its value is. */
interface Field {
  readonly name: string | null;
  readonly valueStart: number;
  readonly valueEnd: number;
}

interface Fields {
  readonly fields: Field[];
  /** Where reading stopped on a malformed body; null when it was read to the end. */
  readonly unreadableFrom: number | null;
}

type ToText = (raw: string) => string;
const unchanged: ToText = (raw) => raw;
const fromLatin1: ToText = (raw) => Buffer.from(raw, 'latin1').toString('utf8');

function redactText(text: string, contentType: string | undefined, isSecret: (name: string | null) => boolean, toText: ToText): string {
  const json = formatOf(text, contentType) === 'json';
  const { fields, unreadableFrom } = json ? jsonFields(text, toText) : formFields(text, toText);
  const replacement = json ? JSON.stringify(REDACTED) : REDACTED;
  let result = '';
  let copied = 0;
  for (const field of fields) {
    if (!isSecret(field.name)) continue;
    result += text.slice(copied, field.valueStart) + replacement;
    copied = field.valueEnd;
  }
  if (unreadableFrom === null) return result + text.slice(copied);
  return `${result}${text.slice(copied, Math.max(copied, unreadableFrom))}${REDACTED}`;
}

function formatOf(text: string, contentType: string | undefined): 'form' | 'json' {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  return /^\s*[{[]/.test(text) ? 'json' : 'form';
}

/** `name=value` pairs split on `&`; a name that is not valid percent-encoding counts as secret (null). */
function formFields(text: string, toText: ToText): Fields {
  const fields: Field[] = [];
  let start = 0;
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=');
    if (eq !== -1) fields.push({ name: decodeFormText(toText(pair.slice(0, eq))), valueStart: start + eq + 1, valueEnd: start + pair.length });
    start += pair.length + 1;
  }
  return { fields, unreadableFrom: null };
}

function decodeFormText(raw: string): string | null {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** The members of a top-level JSON object, read only as far as needed to find where each value ends. */
function jsonFields(text: string, toText: ToText): Fields {
  const fields: Field[] = [];
  const stop = (at: number): Fields => ({ fields, unreadableFrom: at });
  let at = skipSpace(text, 0);
  if (at === text.length) return { fields, unreadableFrom: null };
  if (text[at] !== '{') return stop(at);
  at = skipSpace(text, at + 1);
  if (text[at] === '}') return skipSpace(text, at + 1) === text.length ? { fields, unreadableFrom: null } : stop(at + 1);
  for (;;) {
    const nameEnd = stringEnd(text, at);
    const name = nameEnd === -1 ? null : decodeJsonString(toText(text.slice(at, nameEnd)));
    if (name === null) return stop(at);
    at = skipSpace(text, nameEnd);
    if (text[at] !== ':') return stop(at);
    const valueStart = skipSpace(text, at + 1);
    const valueEnd = jsonValueEnd(text, valueStart);
    if (valueEnd === -1) return stop(valueStart);
    fields.push({ name, valueStart, valueEnd });
    at = skipSpace(text, valueEnd);
    if (text[at] === ',') {
      at = skipSpace(text, at + 1);
      continue;
    }
    if (text[at] !== '}') return stop(at);
    const end = skipSpace(text, at + 1);
    return end === text.length ? { fields, unreadableFrom: null } : stop(at + 1);
  }
}

const SPACE = new Set([' ', '\t', '\n', '\r']);

function skipSpace(text: string, from: number): number {
  let at = from;
  while (at < text.length && SPACE.has(text[at]!)) at += 1;
  return at;
}

/** The index after the string starting at `from`, or -1. */
function stringEnd(text: string, from: number): number {
  if (text[from] !== '"') return -1;
  for (let at = from + 1; at < text.length; at += 1) {
    if (text[at] === '\\') at += 1;
    else if (text[at] === '"') return at + 1;
  }
  return -1;
}

function decodeJsonString(quoted: string): string | null {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return null;
  }
}

/** The index after the value starting at `from` (string, object, array or scalar), or -1. */
function jsonValueEnd(text: string, from: number): number {
  const first = text[from];
  if (first === '"') return stringEnd(text, from);
  if (first === '{' || first === '[') return nestedEnd(text, from);
  let at = from;
  while (at < text.length && !SPACE.has(text[at]!) && !',}]{["'.includes(text[at]!)) at += 1;
  return at === from ? -1 : at;
}

const CLOSER: Readonly<Record<string, string>> = { '{': '}', '[': ']' };

/** The index after the object or array starting at `from` (brackets paired outside strings), or -1. */
function nestedEnd(text: string, from: number): number {
  const open: string[] = [];
  for (let at = from; at < text.length; at += 1) {
    const char = text[at]!;
    if (char === '"') {
      const end = stringEnd(text, at);
      if (end === -1) return -1;
      at = end - 1;
    } else if (char in CLOSER) open.push(CLOSER[char]!);
    else if (char === '}' || char === ']') {
      if (open.pop() !== char) return -1;
      if (open.length === 0) return at + 1;
    }
  }
  return -1;
}
