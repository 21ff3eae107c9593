import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { GatewayConfig } from './gateway-config.js';

/** The configuration is unusable; the message names each setting and what is expected, never a secret value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

const SETTINGS: ReadonlySet<string> = new Set(Object.keys(new GatewayConfig()));

/**
 * Reads the settings from `CONFIG_FILE` (a JSON object, optional) overlaid by the environment, and
 * validates them. Empty environment values count as unset.
 */
export function loadGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const raw: Record<string, unknown> = { ...readConfigFile(env['CONFIG_FILE']) };
  for (const name of SETTINGS) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') raw[name] = value.trim();
  }
  const config = plainToInstance(GatewayConfig, raw);
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(errors.flatMap(describe));
  return config;
}

function readConfigFile(path: string | undefined): Record<string, unknown> {
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

function describe(error: ValidationError): string[] {
  return Object.values(error.constraints ?? {}).map((message) => (message.startsWith(error.property) ? message : `${error.property}: ${message}`));
}
