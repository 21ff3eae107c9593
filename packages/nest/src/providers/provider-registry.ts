import { type CoinRegistry } from '@cryptopay/invoice';
import { assertCapabilities, type CallbackSecrets, type ProviderAdapter, Secret } from '@cryptopay/provider-kit';
import { PaymentProvider } from '@cryptopay/provider-kit/nest';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type ResolvedPaymentsOptions } from '../payments.options.js';
import { COIN_REGISTRY } from '../tokens.js';

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

/** Where a provider's callbacks carry secrets, both lists present. */
export type DeclaredSecrets = Required<{ readonly [Where in keyof CallbackSecrets]: NonNullable<CallbackSecrets[Where]> }>;

const NO_SECRETS: DeclaredSecrets = { queryParams: [], bodyFields: [], values: [] };

/**
 * The app's payment provider adapters, by name: every provider instance of a class marked
 * `@PaymentProvider()` (provider-kit), however its module provides it. Filled once every module's
 * providers exist, and checked then, so a bad adapter stops start-up.
 */
@Injectable()
export class ProviderRegistry implements OnModuleInit {
  private readonly adapters = new Map<string, ProviderAdapter>();
  private readonly declared = new Map<string, DeclaredSecrets>();
  private anySecrets: DeclaredSecrets = NO_SECRETS;

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(COIN_REGISTRY) private readonly coins: CoinRegistry,
    @Inject(PAYMENTS_MODULE_OPTIONS) private readonly options: ResolvedPaymentsOptions,
  ) {}

  onModuleInit(): void {
    const wrappers = this.discovery.getProviders({ metadataKey: PaymentProvider.KEY });
    for (const adapter of new Set(wrappers.flatMap((wrapper) => (wrapper.instance ? [wrapper.instance as ProviderAdapter] : [])))) {
      assertCapabilities(adapter, this.coins);
      if (this.adapters.has(adapter.name)) throw new TypeError(`provider "${adapter.name}" is registered twice`);
      this.adapters.set(adapter.name, adapter);
      this.declared.set(adapter.name, declaredSecrets(adapter));
    }
    if (this.adapters.size === 0) {
      throw new TypeError('PaymentsModule: no provider adapter found; pass provider modules in `providers`, each providing a class marked @PaymentProvider()');
    }
    // Merchants' accounts of a provider the environment does not enable declare theirs through its factory.
    for (const factory of this.options.merchants.accounts) {
      if (!this.declared.has(factory.provider)) this.declared.set(factory.provider, declaredSecrets({ secrets: factory.callbackSecrets }));
    }
    // Every configured secret value is removed from every request logged or stored, whichever
    // provider (or none) it names: the adapters' keys and secrets, and the API tokens.
    const values = [...[...this.declared.values()].flatMap((secrets) => secrets.values), ...this.options.apiTokens.map((token) => new Secret(token))];
    for (const [name, secrets] of this.declared) this.declared.set(name, { ...secrets, values });
    const all = [...this.declared.values()];
    this.anySecrets = { queryParams: union(all.map((secrets) => secrets.queryParams)), bodyFields: union(all.map((secrets) => secrets.bodyFields)), values };
  }

  /**
   * What to redact in a request for `name`: what its adapter declares; for any other request (a
   * provider we do not have, a route that is no callback), what any adapter declares.
   */
  secrets(name?: string): DeclaredSecrets {
    return (name === undefined ? undefined : this.declared.get(name)) ?? this.anySecrets;
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

function declaredSecrets(adapter: Pick<ProviderAdapter, 'secrets'>): DeclaredSecrets {
  return { queryParams: adapter.secrets?.queryParams ?? [], bodyFields: adapter.secrets?.bodyFields ?? [], values: adapter.secrets?.values ?? [] };
}

function union(lists: readonly (readonly string[])[]): readonly string[] {
  return [...new Set(lists.flat())];
}
