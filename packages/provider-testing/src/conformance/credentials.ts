import { bodyFields, type ProviderAdapter, type RawCallback, redactBody } from '@cryptopay/provider-kit';
import { type InvoiceBook } from './invoice-book.js';
import { processCallback } from './pipeline.js';

/** The fields of a genuine callback that authenticate it; null where nothing can be told. */
export interface CallbackCredentials {
  readonly queryParams: readonly string[] | null;
  readonly bodyFields: readonly string[] | null;
}

const SIGNATURES = new Set(['rsa-sha256', 'hmac-sha256']);

/**
 * The query parameters and top-level body fields that authenticate a genuine callback: with one's
 * value altered, the core refuses the callback with 401/403 at verify or bind. The core must redact
 * those, so the adapter must declare them in `secrets`. A field whose value names the payment (the
 * invoice id, the address, the txid: `publicValues`) is an input to verification, not a secret. Null
 * where a signature covers the fields (a GET signed over its URL, a POST signed over its body):
 * altering any of them breaks it, so nothing can be told there.
 */
export async function callbackCredentials(
  adapter: ProviderAdapter,
  invoices: InvoiceBook,
  genuine: RawCallback,
  publicValues: readonly string[],
): Promise<CallbackCredentials> {
  const signed = SIGNATURES.has(adapter.capabilities.signatureScheme);
  const isPublic = (value: string) => publicValues.some((known) => known.length > 0 && value.includes(known));
  const authenticates = async (altered: RawCallback) => {
    // A copy of the book: an altered callback that is accepted must not change the suite's invoices.
    const { outcome, stage } = await processCallback(adapter, invoices.copy(), altered);
    return outcome.kind === 'rejected' && (stage === 'verify' || stage === 'bind') && (outcome.status === 401 || outcome.status === 403);
  };
  const credentials = async (names: readonly string[], alter: (name: string) => RawCallback) => {
    const found: string[] = [];
    for (const name of names) if (await authenticates(alter(name))) found.push(name);
    return found;
  };
  const query = queryPairs(genuine.target).filter((pair) => !isPublic(pair.value));
  const contentType = genuine.headers['content-type'];
  const body = genuine.body.byteLength === 0 ? [] : (bodyFields(genuine.body, contentType) ?? []).filter((field) => !isPublic(field.value));
  return {
    queryParams: signed && genuine.method === 'GET' ? null : await credentials(unique(query), (name) => withAlteredParam(genuine, name)),
    bodyFields: signed && genuine.method === 'POST' ? null : await credentials(unique(body), (name) => ({ ...genuine, body: redactBody(genuine.body, contentType, [name]) })),
  };
}

function unique(fields: readonly { name: string }[]): string[] {
  return [...new Set(fields.map((field) => field.name))];
}

interface QueryPair {
  readonly raw: string;
  readonly name: string;
  readonly value: string;
}

function queryPairs(target: string): QueryPair[] {
  const start = target.indexOf('?');
  if (start === -1) return [];
  return target
    .slice(start + 1)
    .split('&')
    .filter((raw) => raw.length > 0)
    .map((raw) => {
      const eq = raw.indexOf('=');
      return { raw, name: decode(eq === -1 ? raw : raw.slice(0, eq)), value: decode(eq === -1 ? '' : raw.slice(eq + 1)) };
    });
}

/** A copy whose parameter `name` has another value of the same length, every other byte as sent. */
function withAlteredParam(genuine: RawCallback, name: string): RawCallback {
  const start = genuine.target.indexOf('?');
  const pairs = queryPairs(genuine.target).map((pair) => (pair.name === name ? `${pair.raw.split('=')[0]}=${altered(pair.value)}` : pair.raw));
  const target = `${genuine.target.slice(0, start)}?${pairs.join('&')}`;
  const origin = genuine.url.slice(0, genuine.url.length - genuine.target.length);
  return { ...genuine, target, url: `${origin}${target}` };
}

function altered(value: string): string {
  const length = Math.max(value.length, 1);
  return value === 'x'.repeat(length) ? 'y'.repeat(length) : 'x'.repeat(length);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
