import { type CoinRegistry } from '@cryptopay/invoice';
import { assertCapabilities, type ProviderAccountFactory, type ProviderAdapter } from '@cryptopay/provider-kit';
import { Inject, Injectable } from '@nestjs/common';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type ResolvedPaymentsOptions } from '../payments.options.js';
import { COIN_REGISTRY } from '../tokens.js';
import { MerchantKeys } from './merchant-keys.js';
import { type ProviderAccountRecord } from './merchant-store.js';

interface CachedAdapter {
  readonly version: number;
  readonly adapter: ProviderAdapter;
}

/**
 * One adapter per provider account, made by its provider's factory from the account's settings and
 * decrypted credentials, and cached per account version: every use reads the account's current
 * version, so a change made on any instance replaces the adapter at its next use.
 */
@Injectable()
export class ProviderAccountAdapters {
  private readonly cache = new Map<string, CachedAdapter>();

  constructor(
    @Inject(PAYMENTS_MODULE_OPTIONS) private readonly options: ResolvedPaymentsOptions,
    @Inject(MerchantKeys) private readonly keys: MerchantKeys,
    @Inject(COIN_REGISTRY) private readonly coins: CoinRegistry,
  ) {}

  /** The factory for a provider merchants may add accounts of, or undefined. */
  factory(provider: string): ProviderAccountFactory | undefined {
    return this.options.merchants.accounts.find((factory) => factory.provider === provider);
  }

  providers(): string[] {
    return this.options.merchants.accounts.map(({ provider }) => provider);
  }

  /** The options an account's adapter is made from: the provider's defaults, its settings, its credentials. */
  optionsOf(provider: string, settings: Readonly<Record<string, unknown>>, credentials: Readonly<Record<string, string>>): Record<string, unknown> {
    return { ...this.options.merchants.accountDefaults[provider], ...settings, ...credentials };
  }

  /** Makes an adapter and checks it as start-up checks the environment's (coins known, capabilities sound). */
  create(factory: ProviderAccountFactory, options: Readonly<Record<string, unknown>>): ProviderAdapter {
    const adapter = factory.createAdapter(options);
    assertCapabilities(adapter, this.coins);
    return adapter;
  }

  async adapterOf(account: ProviderAccountRecord): Promise<ProviderAdapter> {
    const cached = this.cache.get(account.id);
    if (cached?.version === account.version) return cached.adapter;
    const factory = this.factory(account.provider);
    if (!factory) throw new Error(`provider account ${account.id} is of provider ${account.provider}, which this app offers no accounts of`);
    const adapter = this.create(factory, this.optionsOf(account.provider, account.settings, await this.credentialsOf(account)));
    this.cache.set(account.id, { version: account.version, adapter });
    return adapter;
  }

  /** The account's credentials in clear: memory only, for its adapter or a rotation of some of them. */
  async credentialsOf(account: ProviderAccountRecord): Promise<Record<string, string>> {
    const entries = await Promise.all(
      Object.entries(account.credentials).map(async ([field, sealed]) => [field, await this.keys.decrypt({ merchantId: account.merchantId, accountId: account.id, field }, sealed)] as const),
    );
    return Object.fromEntries(entries);
  }
}
