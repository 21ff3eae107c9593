import { type ProviderAdapter } from '@cryptopay/provider-kit';
import { type Type } from '@nestjs/common';
import { type DiscoveryService } from '@nestjs/core';

const ADAPTER_METHODS = ['createPaymentRequest', 'verifyCallback', 'parseCallback', 'bindToInvoice', 'acknowledge'] as const;

/** Whether a provider instance implements the adapter contract. */
export function isProviderAdapter(value: unknown): value is ProviderAdapter {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate['name'] === 'string' &&
    typeof candidate['capabilities'] === 'object' &&
    ADAPTER_METHODS.every((method) => typeof candidate[method] === 'function')
  );
}

/**
 * The adapters provided by the given provider modules, whatever token each module uses: the
 * payments module only needs to be handed `XModule.forRoot(...)`.
 */
export function discoverAdapters(discovery: DiscoveryService, modules: readonly Type<unknown>[]): ProviderAdapter[] {
  if (modules.length === 0) return [];
  const found = new Set<ProviderAdapter>();
  for (const wrapper of discovery.getProviders({ include: [...modules] })) {
    if (isProviderAdapter(wrapper.instance)) found.add(wrapper.instance);
  }
  return [...found];
}
