import { type CoinRegistry } from '@cryptopay/invoice';
import { assertCapabilities, type ProviderAdapter } from '@cryptopay/provider-kit';
import { Inject, Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { COIN_REGISTRY, PROVIDER_MODULES } from '../tokens.js';
import { discoverAdapters } from './discover-adapters.js';

/** An invoice or callback named a provider this app has not enabled. */
export class UnknownProviderError extends Error {
  override readonly name = 'UnknownProviderError';

  constructor(
    readonly provider: string,
    enabled: readonly string[],
  ) {
    super(`provider "${provider.slice(0, 40)}" is not enabled; enabled providers: ${enabled.join(', ') || 'none'}`);
  }
}

/**
 * The adapters of the provider modules the payments module was given, by name. Filled once every
 * module's providers exist, and checked then, so a bad adapter stops start-up.
 */
@Injectable()
export class ProviderRegistry implements OnModuleInit {
  private readonly adapters = new Map<string, ProviderAdapter>();
  private secretParams: readonly string[] = [];

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(PROVIDER_MODULES) private readonly modules: readonly Type<unknown>[],
    @Inject(COIN_REGISTRY) private readonly coins: CoinRegistry,
  ) {}

  onModuleInit(): void {
    for (const adapter of discoverAdapters(this.discovery, this.modules)) {
      assertCapabilities(adapter, this.coins);
      if (this.adapters.has(adapter.name)) throw new TypeError(`provider "${adapter.name}" is registered twice`);
      this.adapters.set(adapter.name, adapter);
    }
    if (this.adapters.size === 0) throw new TypeError('PaymentsModule: no provider adapter found; pass provider modules in `providers`');
    this.secretParams = [...new Set([...this.adapters.values()].flatMap((adapter) => adapter.secretQueryParams ?? []))];
  }

  /**
   * The query parameters to redact in a request for `name`: what its adapter declares; for any other
   * request (a provider we do not have, a route that is no callback), what any adapter declares.
   */
  secretQueryParams(name?: string): readonly string[] {
    const adapter = name === undefined ? undefined : this.adapters.get(name);
    return adapter ? (adapter.secretQueryParams ?? []) : this.secretParams;
  }

  get(name: string): ProviderAdapter {
    const adapter = this.adapters.get(name);
    if (!adapter) throw new UnknownProviderError(name, this.names());
    return adapter;
  }

  has(name: string): boolean {
    return this.adapters.has(name);
  }

  names(): string[] {
    return [...this.adapters.keys()];
  }
}
