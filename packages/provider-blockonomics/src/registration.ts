import { blockonomicsAccounts } from './accounts.js';
import { type ProviderRegistration, type ProviderSetting } from '@cryptopay/provider-kit';
import { MIN_CALLBACK_SECRET_LENGTH, type OptionProblem, optionsFromEnvironment, wholeNumber } from '@cryptopay/provider-kit/options';
import { BlockonomicsOptionsError, type ResolvedBlockonomicsOptions, validateBlockonomicsOptions } from './config/options.js';
import { PROVIDER_NAME } from './mapping/provider-name.js';
import { BlockonomicsModule } from './nest/provider.module.js';
import { startBlockonomicsSandbox } from './simulator/sandbox.js';

/** Never that short when copied from the dashboard: a shorter one is a placeholder or a typo. */
const MIN_API_KEY_LENGTH = 8;

const SETTINGS: readonly ProviderSetting[] = [
  {
    variable: 'BLOCKONOMICS_API_KEY',
    option: 'apiKey',
    secret: true,
    enables: true,
    description: `Blockonomics > Stores > API Key (at least ${MIN_API_KEY_LENGTH} characters); Blockonomics is enabled when it is set`,
  },
  {
    variable: 'BLOCKONOMICS_CALLBACK_SECRET',
    option: 'callbackSecret',
    secret: true,
    description: `required with the key: at least ${MIN_CALLBACK_SECRET_LENGTH} random characters of A-Z a-z 0-9 _ - (e.g. openssl rand -hex 20), also put into the store's HTTP Callback URL (PUBLIC_URL/v1/callbacks/blockonomics?secret=<secret>)`,
  },
  { variable: 'BLOCKONOMICS_API_URL', option: 'apiBaseUrl', secret: false, description: 'http(s) URL of the Blockonomics API (default https://www.blockonomics.co)' },
  { variable: 'BLOCKONOMICS_CONFIRMATIONS', option: 'confirmations', secret: false, description: '0, 1 or 2 (default 2): confirmations before a payment counts as confirmed' },
  {
    variable: 'BLOCKONOMICS_HISTORY_REQUESTS_PER_MINUTE',
    option: 'historyRequestsPerMinute',
    secret: false,
    description: "this instance's budget of searchhistory requests a minute for reconciliation (default 2, Blockonomics' limit)",
  },
];

/**
 * Blockonomics for the gateway: enabled when `BLOCKONOMICS_API_KEY` is set, its settings validated by
 * the module's own rules, and a sandbox running the simulator. The common settings are of no use here:
 * Blockonomics callbacks have no source allowlist, so no proxies to trust.
 */
export const blockonomicsProvider = {
  name: PROVIDER_NAME,
  settings: SETTINGS,
  fromEnvironment: (env, _common) =>
    optionsFromEnvironment(env, {
      settings: SETTINGS,
      read: { confirmations: wholeNumber, historyRequestsPerMinute: wholeNumber },
      check: environmentRules,
      validate: validateBlockonomicsOptions,
      error: (problems) => new BlockonomicsOptionsError(problems),
    }),
  module: (options) => BlockonomicsModule.forRoot(options),
  accounts: blockonomicsAccounts,
  startSandbox: (_common) => startBlockonomicsSandbox(),
} satisfies ProviderRegistration<ResolvedBlockonomicsOptions>;

/** What the environment must hold beyond the module's rules: a real key, and the secret with it. */
function environmentRules({ apiKey, callbackSecret }: Readonly<Record<string, unknown>>): OptionProblem[] {
  if (typeof apiKey !== 'string') return [];
  return [
    ...(apiKey.length < MIN_API_KEY_LENGTH ? [{ option: 'apiKey', message: 'apiKey must be the API key from the Blockonomics merchant dashboard' }] : []),
    ...(callbackSecret === undefined ? [{ option: 'callbackSecret', message: 'callbackSecret is required when apiKey is set' }] : []),
  ];
}
