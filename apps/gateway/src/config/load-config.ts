import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PROVIDERS } from '../providers.js';
import { GatewayConfig, liveModeProblems } from './gateway-config.js';
import { decideMode } from './gateway-mode.js';
import { adminListenerProblems, trustProxyProblems } from './network-exposure.js';
import { moduleProblems, type SettingProblem } from './module-settings.js';
import { commonProviderSettings, configureProviders, isEnabled, providerVariables } from './provider-settings.js';

/** The configuration is unusable; the message names each setting and what is expected, never a secret value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** The gateway's own variables and the core modules'. */
const GATEWAY_SETTINGS: readonly string[] = Object.keys(new GatewayConfig());
/** Every variable read: the gateway's and every provider's. */
const SETTINGS: ReadonlySet<string> = new Set([...GATEWAY_SETTINGS, ...providerVariables(PROVIDERS)]);

/**
 * Reads the settings from `CONFIG_FILE` (a JSON object, optional) overlaid by the environment, and
 * validates them: first as variables (numbers, lists, what live mode needs), then the module
 * options they set by each module's own rules, the providers' by their registrations. Empty
 * environment values count as unset.
 */
export function loadGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const raw: Record<string, string> = { ...readConfigFile(env['CONFIG_FILE']) };
  for (const name of SETTINGS) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') raw[name] = value.trim();
  }
  const config = plainToInstance(GatewayConfig, Object.fromEntries(GATEWAY_SETTINGS.filter((name) => name in raw).map((name) => [name, raw[name]])));
  const asWritten = validateSync(config, { forbidUnknownValues: true }).flatMap(({ property, constraints }) =>
    Object.values(constraints ?? {}).map((message) => ({ variable: property, message: message.startsWith(property) ? message : `${property}: ${message}` })),
  );
  const providers = configureProviders(PROVIDERS, raw, commonProviderSettings(config.TRUST_PROXY));
  const mode = decideMode({ config, raw, providers: PROVIDERS, providerEnabled: PROVIDERS.some((provider) => isEnabled(provider, raw)) });
  const written = [...asWritten, ...liveModeProblems(config, mode.mode === 'live'), ...moduleProblems(config), ...trustProxyProblems(config), ...adminListenerProblems(config), ...providers.problems];
  // A setting that is not even well written is told as such first; what the mode makes of it, once it is.
  const unwritten = new Set(written.map(({ variable }) => variable));
  const problems = firstPerVariable([...written, ...mode.problems.filter(({ refuses }) => !refuses.some((variable) => unwritten.has(variable)))]);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.assign(config, { providers: providers.configured, mode: mode.mode });
}

/**
 * One message per variable, the first found: how it is written before what its module makes of it,
 * and a variable can set options of two modules (TRUST_PROXY).
 */
function firstPerVariable(problems: readonly SettingProblem[]): string[] {
  const seen = new Set<string>();
  return problems.filter(({ variable }) => !seen.has(variable) && seen.add(variable)).map(({ message }) => message);
}

function readConfigFile(path: string | undefined): Record<string, string> {
  if (!path) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new ConfigError([`CONFIG_FILE: ${path} ${reason}; expected a JSON object of settings`]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError([`CONFIG_FILE: ${path} must contain a JSON object of settings`]);
  }
  const unknown = Object.keys(parsed).filter((name) => !SETTINGS.has(name));
  if (unknown.length > 0) throw new ConfigError([`CONFIG_FILE: unknown settings ${unknown.join(', ')}; see docs/configuration.md`]);
  // The validators read strings, as the environment gives them; decimals must be strings to stay exact.
  return Object.fromEntries(Object.entries(parsed).map(([name, value]) => [name, settingText(name, value)]));
}

function settingText(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(',');
  throw new ConfigError([`CONFIG_FILE: ${name} must be a string, a whole number or a list of strings (write decimals as strings)`]);
}
