import { type GatewayProvider } from '../providers.js';
import { type GatewayConfig } from './gateway-config.js';
import { type SettingProblem } from './module-settings.js';

export type GatewayMode = 'sandbox' | 'live';

/** A problem with the mode, and the settings it refuses. */
export interface ModeProblem extends SettingProblem {
  readonly refuses: readonly string[];
}

/** The settings that make a sandbox dangerous: it would serve real tokens and settle invoices of a real database. */
export interface ModeInputs {
  readonly config: GatewayConfig;
  /** Every setting given, as text (the providers' too). */
  readonly raw: Readonly<Record<string, string>>;
  readonly providers: readonly GatewayProvider[];
  /** Some provider's enabling setting (its API key) is set. */
  readonly providerEnabled: boolean;
}

/**
 * The mode: `MODE` when set, else live when a provider is enabled, else sandbox. A sandbox — pays
 * invoices through in-process simulators, serves `/sandbox`, counts test payments — must never run
 * on production settings, so it refuses any it finds (see {@link productionLikeSettings}); without
 * `MODE` those settings ask for an explicit choice.
 */
export function decideMode({ config, raw, providers, providerEnabled }: ModeInputs): { readonly mode: GatewayMode; readonly problems: ModeProblem[] } {
  const mode: GatewayMode = config.MODE ?? (providerEnabled ? 'live' : 'sandbox');
  if (mode === 'live') {
    if (providerEnabled) return { mode, problems: [] };
    const keys = providers.flatMap(({ settings }) => settings.filter(({ enables }) => enables === true).map(({ variable }) => variable));
    return { mode, problems: [{ variable: 'MODE', refuses: [], message: `MODE=live needs a provider enabled: set ${keys.join(' or ')}` }] };
  }
  const found = productionLikeSettings(config, raw, providers, config.MODE === 'sandbox');
  if (found.length === 0) return { mode, problems: [] };
  if (config.MODE === undefined) {
    return {
      mode,
      problems: [
        {
          variable: 'MODE',
          refuses: found,
          message: `MODE is not set and no provider API key is set, so the gateway would start in sandbox mode, but ${found.join(', ')} ${found.length === 1 ? 'is' : 'are'} set as for production: set MODE=live with a provider API key, or remove ${found.length === 1 ? 'it' : 'them'} (MODE=sandbox allows a DATABASE_URL and REDIS_URL on this host only)`,
        },
      ],
    };
  }
  return { mode, problems: found.map((variable) => ({ variable, refuses: [variable], message: `${variable} ${SANDBOX_REFUSALS[variable] ?? 'is a provider credential and must not be set in sandbox mode (MODE=sandbox)'}` })) };
}

const SANDBOX_REFUSALS: Readonly<Record<string, string>> = {
  PUBLIC_URL: 'must be a loopback URL (http://127.0.0.1:<PORT>) in sandbox mode (MODE=sandbox): set MODE=live for a public one',
  HOST: 'must be a loopback address (127.0.0.1 or ::1) in sandbox mode (MODE=sandbox): its simulators pay invoices for anyone who can reach it',
  DATABASE_URL: 'must name a database on this host (127.0.0.1, ::1, localhost or a socket) in sandbox mode (MODE=sandbox): simulated payments must never reach a production database',
  REDIS_URL: 'must name a Redis on this host (127.0.0.1, ::1 or localhost) in sandbox mode (MODE=sandbox)',
};

/**
 * What is set as for production: a public `PUBLIC_URL` or `HOST`, any provider credential (a setting
 * its registration marks secret), and a `DATABASE_URL` or `REDIS_URL` — any when the sandbox was not
 * asked for, one off this host when it was.
 */
function productionLikeSettings(config: GatewayConfig, raw: Readonly<Record<string, string>>, providers: readonly GatewayProvider[], explicit: boolean): string[] {
  const found: string[] = [];
  if (config.PUBLIC_URL !== undefined && !isLoopbackUrl(config.PUBLIC_URL)) found.push('PUBLIC_URL');
  if (config.HOST !== undefined && !isLoopbackHost(config.HOST)) found.push('HOST');
  for (const variable of ['DATABASE_URL', 'REDIS_URL'] as const) {
    const value = config[variable];
    if (value !== undefined && (!explicit || !isLoopbackUrl(value, true))) found.push(variable);
  }
  for (const { settings } of providers) {
    for (const { variable, secret } of settings) if (secret && raw[variable] !== undefined) found.push(variable);
  }
  return found;
}

function isLoopbackUrl(text: string, socketIsLocal = false): boolean {
  try {
    const { hostname } = new URL(text);
    return (socketIsLocal && hostname === '') || isLoopbackHost(hostname);
  } catch {
    return false;
  }
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}
