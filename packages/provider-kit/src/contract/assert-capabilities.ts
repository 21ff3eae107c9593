import { CoinRegistry } from '@cryptopay/invoice';
import { isProviderName } from '../options/rules/provider-name.js';
import { MAX_CALLBACK_RETRY_WINDOW_MS } from './capabilities.js';
import { type ProviderAdapter } from './provider-adapter.js';

const METHODS = new Set(['GET', 'POST']);
const SCHEMES = new Set(['url-secret', 'rsa-sha256', 'hmac-sha256', 'invoice-token']);
/** A query parameter or body field name: no separators, no whitespace. */
const FIELD_NAME = /^[^\s=&#?]{1,64}$/;

/** A provider adapter declares something the app cannot honour; raised at start-up, never per request. */
export class ProviderCapabilityError extends Error {
  override readonly name = 'ProviderCapabilityError';
}

/**
 * Checks an adapter's name and capability manifest when the app starts, so a misconfigured
 * adapter stops start-up with a message instead of failing on the first invoice.
 */
export function assertCapabilities(
  adapter: Pick<ProviderAdapter, 'name' | 'capabilities' | 'secrets' | 'reconcile'>,
  coins: CoinRegistry = new CoinRegistry(),
): void {
  const fail = (problem: string): never => {
    throw new ProviderCapabilityError(`provider "${adapter.name}": ${problem}`);
  };
  if (!isProviderName(adapter.name)) fail('name must be 2–32 lower-case letters, digits or dashes, starting with a letter');
  const { coins: codes, callbackMethods, signatureScheme, pendingNotifications } = adapter.capabilities;
  if (codes.length === 0) fail('declares no coins');
  const unknown = codes.filter((code) => !coins.has(code));
  if (unknown.length > 0) fail(`declares coins unknown to the coin registry: ${unknown.join(', ')} (register them first)`);
  if (new Set(codes).size !== codes.length) fail('declares a coin twice');
  if (callbackMethods.length === 0 || callbackMethods.some((method) => !METHODS.has(method))) {
    fail('callbackMethods must be a non-empty list of GET and/or POST');
  }
  if (!SCHEMES.has(signatureScheme)) fail(`unknown signatureScheme "${String(signatureScheme)}"`);
  if (typeof pendingNotifications !== 'boolean') fail('pendingNotifications must be true or false');
  const window = adapter.capabilities.callbackRetryWindowMs;
  if (window !== undefined && !(Number.isInteger(window) && window > 0 && window <= MAX_CALLBACK_RETRY_WINDOW_MS)) {
    fail(`callbackRetryWindowMs must be a whole number of milliseconds from 1 to ${MAX_CALLBACK_RETRY_WINDOW_MS} (30 days)`);
  }
  assertReconciliation(adapter, fail);
  const { values, ...named } = adapter.secrets ?? {};
  if (values !== undefined && (!Array.isArray(values) || !values.every((value: unknown) => typeof (value as { reveal?: unknown } | null)?.reveal === 'function'))) fail('secrets.values must be a list of Secret (of @cryptopay/provider-kit)');
  for (const [where, names] of Object.entries(named)) {
    if (!Array.isArray(names) || !names.every((name) => typeof name === 'string' && FIELD_NAME.test(name))) {
      fail(`secrets.${where} must be a list of names (1–64 characters, no whitespace, =, &, # or ?)`);
    }
  }
}

const RECONCILIATION_SOURCES = new Set(['address-history', 'provider-log']);

/** A declared reconciliation needs the method, and the method needs the declaration. */
function assertReconciliation(adapter: Pick<ProviderAdapter, 'capabilities' | 'reconcile'>, fail: (problem: string) => never): void {
  const source = adapter.capabilities.reconciliation;
  const implemented = typeof adapter.reconcile === 'function';
  if (source === undefined) {
    if (implemented) fail('implements reconcile but declares no capabilities.reconciliation');
    return;
  }
  if (!RECONCILIATION_SOURCES.has(source)) fail(`unknown reconciliation "${String(source)}" (address-history or provider-log)`);
  if (!implemented) fail(`declares reconciliation "${source}" but implements no reconcile method`);
}
