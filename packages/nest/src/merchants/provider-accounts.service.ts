import { OptionsError } from '@cryptopay/provider-kit/options';
import { type ProviderAccountFactory, ProviderCapabilityError, ProviderError } from '@cryptopay/provider-kit';
import { ConflictException, Inject, Injectable, Logger, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { CallbackUrls } from '../callbacks/callback-urls.js';
import { type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';
import { ProviderAccountAdapters } from './account-adapters.js';
import { newId } from './identifiers.js';
import { MerchantKeys } from './merchant-keys.js';
import { type ProviderAccountRecord } from './merchant-store.js';
import { actsFor, type RequestPrincipal } from './request-principal.js';

/** What a merchant sends to add an account; checked for shape by the DTO, for meaning here. */
export interface ProviderAccountInput {
  readonly provider: string;
  readonly label?: string;
  readonly credentials: Readonly<Record<string, string>>;
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly verify?: boolean;
}

export interface ProviderAccountPatch {
  readonly label?: string | null;
  readonly enabled?: boolean;
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly credentials?: Readonly<Record<string, string>>;
  readonly verify?: boolean;
}

/** An account as the API shows it: never its credentials. */
export interface ProviderAccountView {
  readonly id: string;
  readonly merchantId: string;
  readonly provider: string;
  readonly label: string | null;
  readonly enabled: boolean;
  readonly callbackUrl: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * Merchants' own provider accounts: credentials validated by the provider's option rules (and, where
 * it has one, a cheap authenticated call), encrypted under the merchant's data key, never returned or
 * logged. Nothing is stored unless everything checks out.
 */
@Injectable()
export class ProviderAccounts {
  private readonly logger = new Logger('ProviderAccounts');

  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(ProviderAccountAdapters) private readonly adapters: ProviderAccountAdapters,
    @Inject(MerchantKeys) private readonly keys: MerchantKeys,
    @Inject(CallbackUrls) private readonly callbackUrls: CallbackUrls,
  ) {}

  async create(principal: RequestPrincipal, merchantId: string, input: ProviderAccountInput): Promise<ProviderAccountView> {
    await this.merchantFor(principal, merchantId);
    const factory = this.factoryOf(input.provider);
    const settings = this.checkedSettings(factory, input.settings ?? {});
    const given = this.checkedCredentials(factory, input.credentials);
    const credentials = factory.completeCredentials?.(given) ?? given;
    await this.checkOptions(factory, settings, credentials, input.verify !== false);
    const id = newId('pa');
    const now = new Date();
    const account: ProviderAccountRecord = {
      id,
      merchantId,
      provider: factory.provider,
      label: input.label ?? null,
      enabled: true,
      settings,
      credentials: await this.seal(merchantId, id, credentials),
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.merchants.createProviderAccount(account);
    this.logger.log(`provider account ${id} (${factory.provider}) added for merchant ${merchantId}`);
    return this.view(account);
  }

  async list(principal: RequestPrincipal, merchantId: string): Promise<ProviderAccountView[]> {
    await this.merchantFor(principal, merchantId);
    return (await this.store.merchants.listProviderAccounts(merchantId)).map((account) => this.view(account));
  }

  async get(principal: RequestPrincipal, merchantId: string, accountId: string): Promise<ProviderAccountView> {
    return this.view(await this.accountFor(principal, merchantId, accountId));
  }

  /** Label, enabled, settings (replaced) and credentials (write-only; the fields given replace theirs, the rest stay). */
  async update(principal: RequestPrincipal, merchantId: string, accountId: string, patch: ProviderAccountPatch): Promise<ProviderAccountView> {
    const account = await this.accountFor(principal, merchantId, accountId);
    const factory = this.factoryOf(account.provider);
    const settings = patch.settings === undefined ? account.settings : this.checkedSettings(factory, patch.settings);
    const given = patch.credentials === undefined ? undefined : this.checkedCredentials(factory, patch.credentials);
    if (patch.settings !== undefined || given !== undefined) {
      const credentials = { ...(await this.adapters.credentialsOf(account)), ...given };
      await this.checkOptions(factory, settings, credentials, given !== undefined && patch.verify !== false);
    }
    const changed = await this.store.merchants.updateProviderAccount(
      account.id,
      account.version,
      {
        ...(patch.label === undefined ? {} : { label: patch.label }),
        ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
        ...(patch.settings === undefined ? {} : { settings }),
        ...(given === undefined ? {} : { credentials: { ...account.credentials, ...(await this.seal(merchantId, account.id, given)) } }),
      },
      new Date(),
    );
    if (!changed) throw new ConflictException(`provider account ${account.id} was changed meanwhile; read it again and retry`);
    if (given !== undefined) this.logger.log(`provider account ${account.id}: credentials ${Object.keys(given).join(', ')} replaced`);
    return this.view(changed);
  }

  /** Disables: callbacks for its invoices are still processed, new invoices are refused. */
  async disable(principal: RequestPrincipal, merchantId: string, accountId: string): Promise<ProviderAccountView> {
    return this.update(principal, merchantId, accountId, { enabled: false });
  }

  /** The merchant, if the principal acts for it; 404 for an unknown or foreign one alike. */
  async merchantFor(principal: RequestPrincipal, merchantId: string): Promise<void> {
    const merchant = actsFor(principal, merchantId) ? await this.store.merchants.findMerchant(merchantId) : null;
    if (!merchant) throw new NotFoundException(`merchant ${merchantId.slice(0, 64)} does not exist`);
  }

  private async accountFor(principal: RequestPrincipal, merchantId: string, accountId: string): Promise<ProviderAccountRecord> {
    await this.merchantFor(principal, merchantId);
    const account = await this.store.merchants.findProviderAccount(accountId);
    if (!account || account.merchantId !== merchantId) throw new NotFoundException(`provider account ${accountId.slice(0, 64)} does not exist`);
    return account;
  }

  private factoryOf(provider: string): ProviderAccountFactory {
    const factory = this.adapters.factory(provider);
    if (!factory) throw new UnprocessableEntityException(`provider "${provider.slice(0, 40)}" is unknown; accounts can be added for ${this.adapters.providers().join(', ') || 'no provider'}`);
    return factory;
  }

  private checkedSettings(factory: ProviderAccountFactory, settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const secret = Object.keys(settings).filter((name) => factory.credentialFields.includes(name));
    if (secret.length > 0) throw new UnprocessableEntityException(`settings.${secret[0]} is a credential: send it in credentials, which are encrypted`);
    const unknown = Object.keys(settings).filter((name) => !factory.settingFields.includes(name));
    if (unknown.length > 0) throw new UnprocessableEntityException(`settings.${unknown[0]?.slice(0, 40)} is not a ${factory.provider} setting; known: ${factory.settingFields.join(', ')}`);
    return { ...settings };
  }

  private checkedCredentials(factory: ProviderAccountFactory, credentials: Readonly<Record<string, string>>): Record<string, string> {
    const unknown = Object.keys(credentials).filter((name) => !factory.credentialFields.includes(name));
    if (unknown.length > 0) throw new UnprocessableEntityException(`credentials.${unknown[0]?.slice(0, 40)} is not a ${factory.provider} credential; known: ${factory.credentialFields.join(', ')}`);
    return { ...credentials };
  }

  /** The provider's own option rules, then its live check: a 422 naming what is wrong, never a value. */
  private async checkOptions(factory: ProviderAccountFactory, settings: Readonly<Record<string, unknown>>, credentials: Readonly<Record<string, string>>, verify: boolean): Promise<void> {
    const options = this.adapters.optionsOf(factory.provider, settings, credentials);
    try {
      this.adapters.create(factory, options);
    } catch (error) {
      if (error instanceof OptionsError) throw new UnprocessableEntityException(error.problems.map(({ option, message }) => (factory.credentialFields.includes(option) ? `credentials: ${message}` : `settings: ${message}`)));
      if (error instanceof ProviderCapabilityError) throw new UnprocessableEntityException(`settings: ${error.message}`);
      throw error;
    }
    if (!verify || !factory.checkCredentials) return;
    try {
      await factory.checkCredentials(options);
    } catch (error) {
      if (error instanceof ProviderError && (error.kind === 'auth' || error.kind === 'rejected')) {
        throw new UnprocessableEntityException(`credentials: ${factory.provider} refused them (${error.message}); nothing was stored`);
      }
      throw error;
    }
  }

  private async seal(merchantId: string, accountId: string, credentials: Readonly<Record<string, string>>): Promise<Record<string, string>> {
    const entries = await Promise.all(Object.entries(credentials).map(async ([field, value]) => [field, await this.keys.encrypt({ merchantId, accountId, field }, value)] as const));
    return Object.fromEntries(entries);
  }

  private view(account: ProviderAccountRecord): ProviderAccountView {
    return {
      id: account.id,
      merchantId: account.merchantId,
      provider: account.provider,
      label: account.label,
      enabled: account.enabled,
      callbackUrl: this.callbackUrls.forAccount(account.provider, account.id),
      settings: account.settings,
      createdAt: account.createdAt.toISOString(),
      updatedAt: account.updatedAt.toISOString(),
    };
  }
}
