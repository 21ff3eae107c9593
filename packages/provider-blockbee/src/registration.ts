import { blockbeeAccounts } from './accounts.js';
import { type ProviderRegistration, type ProviderSetting } from '@cryptopay/provider-kit';
import { commaSeparated, type OptionProblem, optionsFromEnvironment } from '@cryptopay/provider-kit/options';
import { BLOCKBEE_PROVIDER_NAME } from './adapter.js';
import { BlockBeeOptionsError, type ResolvedBlockBeeOptions, validateBlockBeeOptions } from './config/options.js';
import { BLOCKBEE_EXTRA_COINS } from './mapping/coins.js';
import { BlockBeeModule } from './nest/provider.module.js';
import { startBlockBeeSandbox } from './simulator/sandbox.js';

/** Never that short when copied from the dashboard: a shorter one is a placeholder or a typo. */
const MIN_API_KEY_LENGTH = 8;

/** The environment variables BlockBee reads; trusted proxies come from the gateway's common settings. */
export const BLOCKBEE_SETTINGS: readonly ProviderSetting[] = Object.freeze([
  {
    variable: 'BLOCKBEE_API_KEY',
    option: 'apiKey',
    secret: true,
    enables: true,
    description: `the API key from the BlockBee dashboard (API Keys), at least ${MIN_API_KEY_LENGTH} characters; setting it enables BlockBee`,
  },
  {
    variable: 'BLOCKBEE_API_URL',
    option: 'apiBaseUrl',
    secret: false,
    description: "BlockBee's API, an http(s) URL; default https://api.blockbee.io",
  },
  {
    variable: 'BLOCKBEE_PUBLIC_KEY',
    option: 'publicKeyPem',
    secret: false,
    description: "the RSA public key in PEM (-----BEGIN PUBLIC KEY----- ...) callbacks are signed with; default BlockBee's published key",
  },
  {
    variable: 'BLOCKBEE_ALLOWED_IPS',
    option: 'allowlist',
    secret: false,
    description: "comma-separated IP addresses or CIDR ranges callbacks may come from; default BlockBee's published 51.77.105.132,135.125.112.47",
  },
]);

const PLACEHOLDER_KEY: OptionProblem = { option: 'apiKey', message: 'apiKey must be the API key from the BlockBee dashboard' };

/** BlockBee, as the gateway offers it: its settings, its module, its extra coins and its simulator for sandbox mode. */
export const blockbeeProvider = {
  name: BLOCKBEE_PROVIDER_NAME,
  settings: BLOCKBEE_SETTINGS,
  coins: BLOCKBEE_EXTRA_COINS,
  fromEnvironment: (env, common) =>
    optionsFromEnvironment(env, {
      settings: BLOCKBEE_SETTINGS,
      read: { allowlist: commaSeparated },
      supplied: { trustedProxies: [...common.trustedProxies] },
      check: ({ apiKey }) => (typeof apiKey === 'string' && apiKey.length < MIN_API_KEY_LENGTH ? [PLACEHOLDER_KEY] : []),
      validate: validateBlockBeeOptions,
      error: (problems) => new BlockBeeOptionsError(problems),
    }),
  module: (options) => BlockBeeModule.forRoot(options),
  accounts: blockbeeAccounts,
  startSandbox: (common) => startBlockBeeSandbox(common),
} satisfies ProviderRegistration<ResolvedBlockBeeOptions>;
