import { type Provider } from '@nestjs/common';
import { CallbackAccounts } from '../callbacks/callback-accounts.js';
import { ProviderAccountAdapters } from './account-adapters.js';
import { InvoiceAccounts } from './invoice-accounts.js';
import { MerchantKeys } from './merchant-keys.js';
import { PrincipalGuard } from './principal.guard.js';
import { ProviderAccounts } from './provider-accounts.service.js';

/** The payments module's services for many merchants (issue 21). */
export const MERCHANT_PROVIDERS: readonly Provider[] = [MerchantKeys, PrincipalGuard, ProviderAccountAdapters, ProviderAccounts, InvoiceAccounts, CallbackAccounts];
