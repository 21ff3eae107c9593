import { DEFAULT_MERCHANT_ID } from '@cryptopay/invoice';
import { type ProviderAdapter } from '@cryptopay/provider-kit';
import { BadRequestException, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { CallbackUrls } from '../callbacks/callback-urls.js';
import { ProviderRegistry, UnknownProviderError } from '../providers/provider-registry.js';
import { type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';
import { ProviderAccountAdapters } from './account-adapters.js';

/** The account a new invoice is opened with: its adapter, its id (null: the environment's) and its callback URL. */
export interface InvoiceAccount {
  readonly adapter: ProviderAdapter;
  readonly providerAccountId: string | null;
  readonly callbackUrl: string;
}

/**
 * Which provider account a new invoice uses: the one the body names (`providerAccountId`), or, by
 * `provider`, the environment's (the default merchant) or the merchant's one enabled account of it.
 * Anything else is a 422 saying which accounts exist.
 */
@Injectable()
export class InvoiceAccounts {
  constructor(
    @Inject(ProviderRegistry) private readonly providers: ProviderRegistry,
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(ProviderAccountAdapters) private readonly adapters: ProviderAccountAdapters,
    @Inject(CallbackUrls) private readonly callbackUrls: CallbackUrls,
  ) {}

  async resolve(merchantId: string, request: { readonly provider?: string; readonly providerAccountId?: string }): Promise<InvoiceAccount> {
    if (merchantId !== DEFAULT_MERCHANT_ID && !(await this.store.merchants.findMerchant(merchantId))) throw new NotFoundException(`merchant ${merchantId} does not exist`);
    if (request.providerAccountId !== undefined) return this.named(merchantId, request.providerAccountId, request.provider);
    if (request.provider === undefined) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['provider or providerAccountId is required'] });
    if (merchantId === DEFAULT_MERCHANT_ID && this.providers.has(request.provider)) {
      return { adapter: this.providers.get(request.provider), providerAccountId: null, callbackUrl: this.callbackUrls.forProvider(request.provider) };
    }
    if (!this.providers.has(request.provider) && !this.adapters.factory(request.provider)) throw new UnknownProviderError(request.provider, this.providers.names());
    const accounts = (await this.store.merchants.listProviderAccounts(merchantId)).filter((account) => account.provider === request.provider);
    const enabled = accounts.filter((account) => account.enabled);
    const [only] = enabled;
    if (only && enabled.length === 1) return this.named(merchantId, only.id, request.provider);
    const listed = accounts.map((account) => `${account.id}${account.enabled ? '' : ' (disabled)'}`).join(', ') || 'none';
    throw new UnprocessableEntityException(
      `merchant ${merchantId} has ${enabled.length === 0 ? 'no enabled' : 'several enabled'} ${request.provider} accounts (${listed}); name one in providerAccountId`,
    );
  }

  private async named(merchantId: string, accountId: string, provider: string | undefined): Promise<InvoiceAccount> {
    const account = await this.store.merchants.findProviderAccount(accountId);
    if (!account || account.merchantId !== merchantId) throw new UnprocessableEntityException(`provider account ${accountId} does not exist for merchant ${merchantId}`);
    if (provider !== undefined && account.provider !== provider) throw new UnprocessableEntityException(`provider account ${accountId} is a ${account.provider} account, not ${provider}`);
    if (!account.enabled) throw new UnprocessableEntityException(`provider account ${accountId} is disabled: it takes no new invoices`);
    return { adapter: await this.adapters.adapterOf(account), providerAccountId: account.id, callbackUrl: this.callbackUrls.forAccount(account.provider, account.id) };
  }
}
