import { REDACTED, type Secret } from './secret.js';

/**
 * The URL with the values of the named query parameters (case-insensitive) and any password
 * replaced by `[redacted]`. URL-valued parameters (e.g. a callback URL passed to the provider)
 * are redacted recursively, so a secret nested inside them is hidden too.
 */
export function redactUrl(url: string, secretParamNames: readonly string[]): string {
  const names = new Set(secretParamNames.map((name) => name.toLowerCase()));
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '[unparseable url]';
  }
  if (parsed.password) parsed.password = 'redacted';
  const hashIndex = parsed.href.indexOf('#');
  const withoutHash = hashIndex === -1 ? parsed.href : parsed.href.slice(0, hashIndex);
  const queryIndex = withoutHash.indexOf('?');
  if (queryIndex === -1) return withoutHash;
  const query = withoutHash.slice(queryIndex + 1).split('&').map((pair) => redactPair(pair, names, secretParamNames));
  return `${withoutHash.slice(0, queryIndex)}?${query.join('&')}`;
}

function redactPair(pair: string, names: ReadonlySet<string>, secretParamNames: readonly string[]): string {
  const eq = pair.indexOf('=');
  if (eq === -1) return pair;
  const name = pair.slice(0, eq);
  if (names.has(safeDecode(name).toLowerCase())) return `${name}=${REDACTED}`;
  const value = safeDecode(pair.slice(eq + 1));
  if (!/^https?:\/\/[^?]*\?/i.test(value)) return pair;
  return `${name}=${encodeURIComponent(redactUrl(value, secretParamNames))}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * Replaces every occurrence of the secrets in free text (a provider's error body, a logged request):
 * raw, URL-encoded (also with `+` for spaces) and base64 (standard and URL-safe, padded or not).
 */
export function redactSecrets(text: string, secrets: readonly Secret[]): string {
  let result = text;
  for (const secret of secrets) {
    const value = secret.reveal();
    if (value.length === 0) continue;
    for (const form of writtenFormsOf(secret, value)) if (result.includes(form)) result = result.split(form).join(REDACTED);
  }
  return result;
}

/** Each secret's forms, worked out once: every new callback's log entry is redacted with all of them. */
const formsBySecret = new WeakMap<Secret, { readonly value: string; readonly forms: readonly string[] }>();

function writtenFormsOf(secret: Secret, value: string): readonly string[] {
  const known = formsBySecret.get(secret);
  if (known?.value === value) return known.forms;
  const forms = writtenForms(value);
  formsBySecret.set(secret, { value, forms });
  return forms;
}

/** The ways a secret is commonly written into a request; the longest first, so none is left half-replaced. */
function writtenForms(value: string): string[] {
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  const forms = [value, encodeURIComponent(value), encodeURIComponent(value).replaceAll('%20', '+'), base64, base64.replace(/=+$/, ''), Buffer.from(value, 'utf8').toString('base64url')];
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

/** An http(s) URL inside free text, up to whitespace or a quote (trailing punctuation is redacted with it: safer). */
const URL_IN_TEXT = /https?:\/\/[^\s"'<>]+/gi;

/**
 * A provider's free text (an error body) made safe for messages and logs: the known secrets are
 * removed (raw or URL-encoded), and every URL in it has the named query parameters redacted — a
 * provider echoing a callback URL may echo a secret we no longer hold (an old one, another invoice's).
 */
export function redactProviderText(text: string, secrets: readonly Secret[], secretParamNames: readonly string[]): string {
  return redactSecrets(text, secrets).replace(URL_IN_TEXT, (url) => redactUrl(url, secretParamNames));
}
