import { type ProviderRegistration, type ProviderSetting } from '@cryptopay/provider-kit';
import { BlockonomicsOptionsError, type ResolvedBlockonomicsOptions, validateBlockonomicsOptions } from './config/blockonomics-options.js';
import { MIN_CALLBACK_SECRET_LENGTH } from './config/callback-secret.js';
import { PROVIDER_NAME } from './mapping/provider-name.js';
import { BlockonomicsModule } from './nest/provider.module.js';
import { startBlockonomicsSandbox } from './simulator/sandbox.js';

const API_KEY = 'BLOCKONOMICS_API_KEY';
const CALLBACK_SECRET = 'BLOCKONOMICS_CALLBACK_SECRET';
const API_URL = 'BLOCKONOMICS_API_URL';
const CONFIRMATIONS = 'BLOCKONOMICS_CONFIRMATIONS';

const SETTINGS: readonly ProviderSetting[] = [
  { variable: API_KEY, option: 'apiKey', secret: true, description: 'Blockonomics > Stores > API Key; Blockonomics is enabled when it is set' },
  {
    variable: CALLBACK_SECRET,
    option: 'callbackSecret',
    secret: true,
    description: `required with the key: at least ${MIN_CALLBACK_SECRET_LENGTH} random characters of A-Z a-z 0-9 _ - (e.g. openssl rand -hex 20), also put into the store's HTTP Callback URL (PUBLIC_URL/v1/callbacks/blockonomics?secret=<secret>)`,
  },
  { variable: API_URL, option: 'apiBaseUrl', secret: false, description: 'http(s) URL of the Blockonomics API (default https://www.blockonomics.co)' },
  { variable: CONFIRMATIONS, option: 'confirmations', secret: false, description: '0, 1 or 2 (default 2): confirmations before a payment counts as confirmed' },
];

/**
 * Blockonomics for the gateway: enabled when `BLOCKONOMICS_API_KEY` is set, its settings validated by
 * the module's own rules (errors name the environment variable), and a sandbox running the simulator.
 */
export const blockonomicsProvider = {
  name: PROVIDER_NAME,
  settings: SETTINGS,
  // The common settings are of no use here: Blockonomics callbacks have no source allowlist, so no proxies to trust.
  fromEnvironment: (env, _common) => optionsFromEnvironment(env),
  module: (options) => BlockonomicsModule.forRoot(options),
  startSandbox: (_common) => startBlockonomicsSandbox(),
} satisfies ProviderRegistration<ResolvedBlockonomicsOptions>;

type Environment = Readonly<Record<string, string | undefined>>;

function optionsFromEnvironment(env: Environment): ResolvedBlockonomicsOptions | null {
  const apiKey = setting(env, API_KEY);
  if (apiKey === undefined) return null;
  const callbackSecret = setting(env, CALLBACK_SECRET);
  if (callbackSecret === undefined) throw new BlockonomicsOptionsError(`Invalid Blockonomics options: ${CALLBACK_SECRET} is required when ${API_KEY} is set`);
  const confirmations = setting(env, CONFIRMATIONS);
  const options = {
    apiKey,
    callbackSecret,
    apiBaseUrl: setting(env, API_URL),
    // The environment gives text, the option is a number; anything but 0, 1 or 2 is refused by the option's rule.
    confirmations: confirmations !== undefined && /^[0-9]{1,3}$/.test(confirmations) ? Number.parseInt(confirmations, 10) : confirmations,
  };
  try {
    return validateBlockonomicsOptions(options);
  } catch (error) {
    if (error instanceof BlockonomicsOptionsError) throw new BlockonomicsOptionsError(underVariables(error.message));
    throw error;
  }
}

/** A variable's value; empty counts as unset, as everywhere in the gateway's configuration. */
function setting(env: Environment, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value ? value : undefined;
}

/** The module's messages name options (`callbackSecret must …`); from the environment they name the variable. */
function underVariables(message: string): string {
  return SETTINGS.reduce((text, { option, variable }) => text.replace(new RegExp(`(^|: |; )${option}\\b`, 'g'), `$1${variable}`), message);
}
