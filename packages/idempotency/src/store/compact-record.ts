import type { StoredOutcome } from './idempotency-store.js';

/**
 * The compact record of a completed key (format 2), a Redis string rather than the hash of format 1:
 *
 *     2{fingerprint, first 22 characters}{status}{headers}|{context}|{body}
 *
 * `{headers}` is a one-letter code for the usual single content type (none, `t`, `j`), else `?` and
 * the headers URL-encoded; `{context}` is URL-encoded `name=value` pairs, a lower-case UUID value
 * written as `@` + its 16 bytes in base64url (`@` is never left bare by URL encoding). The body comes
 * last, as it is, so it needs no escaping. A provider's acknowledgement (BlockBee's `200 *ok*`) thus
 * costs 8 bytes: a reference to a shared answer would save nothing and need a second key. The
 * version, fingerprint and status have fixed lengths, so they need no separator: every byte counts,
 * as Redis allocates in steps of 16 and a callback's record sits just inside one (232 bytes).
 */
export const COMPACT_RECORD_PREFIX = '2';
/** 128 bits of the SHA-256 fingerprint: plenty to tell two requests for one key apart. */
export const STORED_FINGERPRINT_LENGTH = 22;

const CONTENT_TYPES: Record<string, string> = {
  t: 'text/plain; charset=utf-8',
  j: 'application/json; charset=utf-8',
};
const CONTENT_TYPE_CODES = new Map(Object.entries(CONTENT_TYPES).map(([code, type]) => [type, code]));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ANSWER = /^([1-5]\d\d)(t|j|\?.*)?$/s;

/** The part the complete script appends to `2{fingerprint}`: the outcome without its fingerprint. */
export function encodeCompactOutcome(outcome: StoredOutcome): string {
  return `${outcome.status}${encodeHeaders(outcome.headers)}|${encodePairs(outcome.context ?? {})}|${outcome.body}`;
}

export interface CompactRecord {
  /** The stored (shortened) fingerprint. */
  fingerprint: string;
  outcome: StoredOutcome;
}

/** undefined when the text is not a format-2 record. */
export function decodeCompactRecord(text: string): CompactRecord | undefined {
  if (!text.startsWith(COMPACT_RECORD_PREFIX)) return undefined;
  const afterFingerprint = COMPACT_RECORD_PREFIX.length + STORED_FINGERPRINT_LENGTH;
  const fingerprint = text.slice(COMPACT_RECORD_PREFIX.length, afterFingerprint);
  const [answer, context] = text.slice(afterFingerprint).split('|', 2);
  if (fingerprint.length !== STORED_FINGERPRINT_LENGTH || answer === undefined || context === undefined) return undefined;
  const matched = ANSWER.exec(answer);
  if (!matched) return undefined;
  const headerPart = matched[2] ?? '';
  const headers = headerPart.startsWith('?') ? decodePairs(headerPart.slice(1)) : headerPart === '' ? {} : { 'content-type': CONTENT_TYPES[headerPart] as string };
  const pairs = decodePairs(context);
  if (!headers || !pairs) return undefined;
  const body = text.slice(afterFingerprint + answer.length + context.length + 2);
  const outcome: StoredOutcome = { status: Number(matched[1]), headers, body };
  if (context !== '') outcome.context = pairs;
  return { fingerprint, outcome };
}

function encodeHeaders(headers: Record<string, string>): string {
  const names = Object.keys(headers);
  if (names.length === 0) return '';
  const code = names.length === 1 && names[0] === 'content-type' ? CONTENT_TYPE_CODES.get(headers['content-type'] as string) : undefined;
  return code ?? `?${encodePairs(headers)}`;
}

function encodePairs(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => `${encodeURIComponent(name)}=${UUID.test(value) ? `@${Buffer.from(value.replaceAll('-', ''), 'hex').toString('base64url')}` : encodeURIComponent(value)}`)
    .join('&');
}

function decodePairs(text: string): Record<string, string> | undefined {
  const values: Record<string, string> = {};
  if (text === '') return values;
  for (const pair of text.split('&')) {
    const [name, value, extra] = pair.split('=');
    if (name === undefined || value === undefined || extra !== undefined) return undefined;
    try {
      values[decodeURIComponent(name)] = value.startsWith('@') ? uuidOf(value.slice(1)) : decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return values;
}

function uuidOf(base64url: string): string {
  const hex = Buffer.from(base64url, 'base64url').toString('hex');
  if (hex.length !== 32) throw new RangeError('not a UUID');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
