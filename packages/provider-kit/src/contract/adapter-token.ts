/**
 * The dependency-injection token under which a provider's module provides its adapter, by
 * convention: `cryptopay:provider-adapter:<name>`. A string (not a Symbol) so the core can resolve
 * an adapter from its configured name alone, without importing the provider package.
 */
export function providerAdapterToken(name: string): string {
  return `cryptopay:provider-adapter:${name}`;
}
