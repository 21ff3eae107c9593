import { type ProviderAdapter } from '@cryptopay/provider-kit';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ProviderAccountAdapters } from '../merchants/account-adapters.js';
import { type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';

/** The provider account a callback URL names, with its adapter: what the callback is verified with. */
export interface CallbackAccount {
  readonly id: string;
  readonly merchantId: string;
  readonly adapter: ProviderAdapter;
}

/** Why the URL's account cannot take callbacks, answered before the callback is read. */
export interface CallbackAccountRefusal {
  readonly status: 404 | 503;
  readonly refusal: string;
}

/**
 * Finds the account of `/v1/callbacks/:provider/:accountId` before anything else is done with the
 * callback, so it is verified with that account's own secret or key. A disabled account still takes
 * callbacks (its invoices may still be paid); an unknown one, or one of another provider, is a 404.
 */
@Injectable()
export class CallbackAccounts {
  private readonly logger = new Logger('Callbacks');

  constructor(
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(ProviderAccountAdapters) private readonly adapters: ProviderAccountAdapters,
  ) {}

  /** `accountId` has the shape of a provider account id: the route answers any other segment 404 before. */
  async forCallback(provider: string, accountId: string): Promise<CallbackAccount | CallbackAccountRefusal> {
    const unknown: CallbackAccountRefusal = { status: 404, refusal: `no ${provider.slice(0, 40)} provider account ${accountId}` };
    try {
      const account = await this.store.merchants.findProviderAccount(accountId);
      if (!account || account.provider !== provider || !this.adapters.factory(provider)) return unknown;
      return { id: account.id, merchantId: account.merchantId, adapter: await this.adapters.adapterOf(account) };
    } catch (error) {
      // The store down, or the account's credentials not decryptable: the provider retries later.
      this.logger.error(`provider account ${accountId} could not be loaded: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      return { status: 503, refusal: 'the provider account could not be loaded; retry later' };
    }
  }
}
