import { type CommonProviderSettings } from '@cryptopay/provider-kit';
import { type Environment, OptionsError } from '@cryptopay/provider-kit/options';
import { type GatewayProvider } from '../providers.js';
import { inVariables, type SettingProblem, type VariableOption } from './module-settings.js';

/** A provider the environment enables, with its module options. */
export interface ConfiguredProvider {
  readonly registration: GatewayProvider;
  readonly options: object;
}

/** The gateway's variables behind the common provider settings: a provider's problem with one names it. */
const COMMON_SETTINGS: readonly VariableOption[] = [{ variable: 'TRUST_PROXY', option: 'trustedProxies' }];

/** Every variable the providers read, from their registrations. */
export function providerVariables(providers: readonly GatewayProvider[]): string[] {
  return providers.flatMap(({ settings }) => settings.map(({ variable }) => variable));
}

/** A setting that enables the provider (its API key) is set: the gateway is live. */
export function isEnabled(provider: GatewayProvider, env: Environment): boolean {
  return provider.settings.some(({ enables, variable }) => enables === true && Boolean(env[variable]?.trim()));
}

export function commonProviderSettings(trustedProxies: readonly string[] | undefined): CommonProviderSettings {
  return { trustedProxies: trustedProxies ?? [] };
}

/**
 * Each provider's module options from the environment, by its own registration (null: not enabled),
 * and the problems found, each named by the variable that set the option (from the registration's
 * settings), in the words the core modules' problems are told.
 */
export function configureProviders(
  providers: readonly GatewayProvider[],
  env: Environment,
  common: CommonProviderSettings,
): { readonly configured: ConfiguredProvider[]; readonly problems: SettingProblem[] } {
  const configured: ConfiguredProvider[] = [];
  const problems: SettingProblem[] = [];
  for (const registration of providers) {
    try {
      const options = registration.fromEnvironment(env, common);
      if (options !== null) configured.push({ registration, options });
    } catch (error) {
      if (!(error instanceof OptionsError)) throw error;
      const settings = [...registration.settings, ...COMMON_SETTINGS];
      // An option no variable sets (none should be refused) is still told, under the provider's name.
      problems.push(...error.problems.map((problem) => inVariables(problem, settings) ?? { variable: registration.name, message: `${error.subject} ${problem.message}` }));
    }
  }
  return { configured, problems };
}
