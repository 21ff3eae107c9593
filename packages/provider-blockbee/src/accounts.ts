import { type ProviderAccountFactory, Secret } from '@cryptopay/provider-kit';
import { BlockBeeAdapter, BLOCKBEE_PROVIDER_NAME } from './adapter.js';
import { BlockBeeApiClient } from './api-client.js';
import { validateBlockBeeOptions } from './config/options.js';
import { NONCE_PARAM } from './wire/callback-url.js';

/**
 * BlockBee adapters for merchants' own accounts: the API key is the credential, the rest the
 * module's options. Checked against BlockBee with `/btc/info/`, which takes the key and changes nothing.
 */
export const blockbeeAccounts: ProviderAccountFactory = {
  provider: BLOCKBEE_PROVIDER_NAME,
  credentialFields: ['apiKey'],
  callbackSecrets: { queryParams: [NONCE_PARAM] },
  settingFields: ['apiBaseUrl', 'allowlist', 'trustedProxies', 'publicKeyPem', 'refreshPublicKey', 'coins', 'confirmations', 'timeoutMs'],
  createAdapter: (options) => new BlockBeeAdapter(validateBlockBeeOptions(options)),
  checkCredentials: async (options) => {
    const valid = validateBlockBeeOptions(options);
    const client = new BlockBeeApiClient({ apiKey: new Secret(valid.apiKey), baseUrl: valid.apiBaseUrl, timeoutMs: valid.timeoutMs });
    await client.coinInfo('btc');
  },
};
