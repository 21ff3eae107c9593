import { type ProviderRegistration, type ProviderSetting } from '@cryptopay/provider-kit';
import { BLOCKBEE_PROVIDER_NAME } from './adapter.js';
import { type BlockBeeOptions, BlockBeeOptionsError, type ResolvedBlockBeeOptions, validateBlockBeeOptions } from './config/blockbee-options.js';
import { BlockBeeModule } from './nest/provider.module.js';
import { BlockBeeSandbox } from './simulator/sandbox.js';

/** The environment variables BlockBee reads; trusted proxies come from the gateway's common settings. */
export const BLOCKBEE_SETTINGS: readonly ProviderSetting[] = Object.freeze([
  {
    variable: 'BLOCKBEE_API_KEY',
    option: 'apiKey',
    secret: true,
    description: 'the API key from the BlockBee dashboard (API Keys); setting it enables BlockBee',
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

type Environment = Readonly<Record<string, string | undefined>>;

/** BlockBee, as the gateway offers it: its settings, its module, and its simulator for sandbox mode. */
export const blockbeeProvider: ProviderRegistration<ResolvedBlockBeeOptions> = {
  name: BLOCKBEE_PROVIDER_NAME,
  settings: BLOCKBEE_SETTINGS,
  fromEnvironment(env, common) {
    const apiKey = setting(env, 'BLOCKBEE_API_KEY');
    if (apiKey === undefined) return null;
    const options: BlockBeeOptions = {
      apiKey,
      ...optional('apiBaseUrl', setting(env, 'BLOCKBEE_API_URL')),
      ...optional('publicKeyPem', setting(env, 'BLOCKBEE_PUBLIC_KEY')),
      ...optional('allowlist', list(setting(env, 'BLOCKBEE_ALLOWED_IPS'))),
      trustedProxies: [...common.trustedProxies],
    };
    return withVariableNames(() => validateBlockBeeOptions(options));
  },
  module: (options) => BlockBeeModule.forRoot(options),
  startSandbox: (common) => BlockBeeSandbox.start(common),
};

/** A variable's trimmed value; empty counts as unset, as everywhere in the gateway. */
function setting(env: Environment, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value ? value : undefined;
}

function list(value: string | undefined): string[] | undefined {
  return value?.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
}

function optional<K extends keyof BlockBeeOptions>(option: K, value: BlockBeeOptions[K] | undefined): Partial<BlockBeeOptions> {
  return value === undefined ? {} : { [option]: value };
}

const OPTIONS_PREFIX = 'Invalid BlockBee options: ';

/** Option errors reworded for the environment: each problem is put under the variable that set the option. */
function withVariableNames<T>(validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (!(error instanceof BlockBeeOptionsError) || !error.message.startsWith(OPTIONS_PREFIX)) throw error;
    const problems = error.message.slice(OPTIONS_PREFIX.length).split('; ').map(underVariable);
    throw new BlockBeeOptionsError(`Invalid BlockBee settings: ${problems.join('; ')}`);
  }
}

function underVariable(problem: string): string {
  const setting = BLOCKBEE_SETTINGS.find((candidate) => problem.startsWith(`${candidate.option} `));
  return setting ? `${setting.variable}: ${problem}` : problem;
}
