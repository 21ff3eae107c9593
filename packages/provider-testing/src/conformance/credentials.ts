import { type ProviderAdapter } from '../contract/provider-adapter.js';
import { type RawCallback } from '../contract/raw-callback.js';
import { ConformanceLedger } from './ledger.js';
import { type InvoiceBook, processCallback } from './pipeline.js';

/**
 * The query parameters that authenticate a genuine callback: with one's value altered, the adapter
 * refuses the callback with 401/403 at verification or binding. The core must redact those, so the
 * adapter must declare them in `secretQueryParams`. Null when the query string is covered by a
 * signature (a GET signed over its URL): altering any parameter breaks it, so nothing can be told.
 */
export async function credentialQueryParams(adapter: ProviderAdapter, invoices: InvoiceBook, genuine: RawCallback): Promise<string[] | null> {
  if (genuine.method === 'GET' && adapter.capabilities.signatureScheme !== 'url-secret') return null;
  const credentials: string[] = [];
  for (const name of new Set(queryPairs(genuine.target).map((pair) => pair.name))) {
    // A fresh ledger: an altered copy that is accepted must not touch the suite's.
    const processed = await processCallback(adapter, invoices, new ConformanceLedger(), withAlteredParam(genuine, name));
    const { outcome, stage } = processed;
    if (outcome.kind === 'rejected' && (stage === 'verify' || stage === 'bind') && (outcome.status === 401 || outcome.status === 403)) {
      credentials.push(name);
    }
  }
  return credentials;
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
