import { type ProviderAccountFactory } from '@cryptopay/provider-kit';
import { generateCallbackSecret } from '@cryptopay/provider-kit/options';
import { BlockonomicsAdapter } from './adapter.js';
import { validateBlockonomicsOptions } from './config/options.js';
import { PROVIDER_NAME } from './mapping/provider-name.js';
import { CALLBACK_SECRET_PARAM } from './wire/constants.js';

/**
 * Blockonomics adapters for merchants' own accounts: the API key and callback secret are the
 * credentials (the secret generated when omitted), the rest the module's options. Blockonomics has
 * no cheap authenticated call (a new address costs one of the store's gap limit), so the key is held
 * to the option rules only and proven by the first invoice.
 */
export const blockonomicsAccounts: ProviderAccountFactory = {
  provider: PROVIDER_NAME,
  credentialFields: ['apiKey', 'callbackSecret'],
  callbackSecrets: { queryParams: [CALLBACK_SECRET_PARAM] },
  settingFields: ['apiBaseUrl', 'bchApiBaseUrl', 'confirmations', 'timeoutMs'],
  completeCredentials: (given) => ({ ...given, callbackSecret: given['callbackSecret'] ?? generateCallbackSecret() }),
  createAdapter: (options) => new BlockonomicsAdapter(validateBlockonomicsOptions(options)),
};
