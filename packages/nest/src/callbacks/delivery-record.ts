import { type RawCallback, redactBody, redactSecrets, redactUrl, type Secret } from '@cryptopay/provider-kit';
import { type CallbackDeliveryEntry, type DeliveryVerdict } from '../store/payments-store.js';
import { type DeclaredSecrets } from '../providers/provider-registry.js';

/**
 * Query parameters that carry a credential by their common names, whatever the provider or route. A
 * provider's own secret parameters and body fields (a URL secret, a nonce, a token) are those its
 * adapter declares.
 */
const CREDENTIAL_QUERY_PARAMS = ['apikey', 'api_key', 'token', 'access_token'];
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key']);
const MAX_BODY_CHARS = 16_384;

/** What was decided about a callback. */
export interface DeliveryVerdictFacts {
  readonly verdict: DeliveryVerdict;
  /** Why it was refused, or why an authentic callback changed nothing. */
  readonly reason: string | null;
  readonly invoiceId: string | null;
  readonly deliveryKey: string | null;
}

export interface DeliveryFacts extends DeliveryVerdictFacts {
  /** As the request named it: for a provider that is not enabled, whatever was given. */
  readonly provider: string;
  /** What the provider's adapter declares in `secrets`. */
  readonly secrets: DeclaredSecrets;
  readonly raw: RawCallback;
  readonly remoteIp: string;
  readonly responseStatus: number;
  readonly durationMs: number;
}

/** Longest provider name kept: the name of one that is not enabled is whatever the caller sent. */
const MAX_PROVIDER_CHARS = 64;

/** The log entry for one callback: what came in and what we answered, with secrets redacted. */
export function deliveryEntry(facts: DeliveryFacts): CallbackDeliveryEntry {
  const { raw } = facts;
  return {
    provider: storableText(facts.provider.slice(0, MAX_PROVIDER_CHARS)),
    receivedAt: raw.receivedAt,
    remoteIp: facts.remoteIp,
    method: raw.method,
    target: storableText(redactTarget(raw.target, facts.secrets.queryParams, facts.secrets.values)),
    headers: redactHeaders(raw.headers, facts.secrets.values),
    body: redactSecrets(storableBody(redactBody(raw.body, raw.headers['content-type'], facts.secrets.bodyFields)), facts.secrets.values),
    verdict: facts.verdict,
    reason: facts.reason === null ? null : storableText(facts.reason),
    invoiceId: facts.invoiceId,
    deliveryKey: facts.deliveryKey === null ? null : storableText(facts.deliveryKey),
    responseStatus: facts.responseStatus,
    durationMs: facts.durationMs,
  };
}

/**
 * The request target (path and query) with the values of the given secret query parameters and of
 * common credential parameters replaced, also inside URL-valued parameters, and every configured
 * secret value removed wherever it is (raw, URL-encoded, base64).
 */
export function redactTarget(target: string, secretQueryParams: readonly string[], secretValues: readonly Secret[] = []): string {
  const base = 'http://redaction.invalid';
  const byName = redactUrl(`${base}${target.startsWith('/') ? target : `/${target}`}`, [...secretQueryParams, ...CREDENTIAL_QUERY_PARAMS]).slice(base.length);
  return redactSecrets(byName, secretValues);
}

function redactHeaders(headers: RawCallback['headers'], secretValues: readonly Secret[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[storableText(name)] = SECRET_HEADERS.has(name) ? '[redacted]' : storableText(redactSecrets(value, secretValues));
  }
  return result;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body as evidence the database can hold: valid UTF-8 as text, anything else byte for byte with
 * every byte outside printable ASCII written `\xNN` (a forged or garbled callback must still be logged).
 */
function storableBody(body: Uint8Array): string {
  let text: string;
  try {
    text = STRICT_UTF8.decode(body);
  } catch {
    text = Array.from(body.subarray(0, MAX_BODY_CHARS), (byte) => (byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`)).join('');
  }
  return storableText(text.slice(0, MAX_BODY_CHARS));
}

/** What PostgreSQL cannot store written as escapes: NUL (`\u0000`) and lone surrogates (`\udXXX`). */
function storableText(text: string): string {
  return text.replaceAll('\u0000', '\\u0000').replace(/\p{Cs}/gu, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}
