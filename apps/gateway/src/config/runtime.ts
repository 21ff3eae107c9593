import { randomBytes } from 'node:crypto';
import { type GatewayConfig, isLive } from './gateway-config.js';

/** The configuration with what follows from it: sandbox mode, the API tokens in force, the public URL. */
export interface GatewaySettings {
  readonly config: GatewayConfig;
  /** No provider key set: both simulators run in-process and test payments count. */
  readonly sandbox: boolean;
  readonly port: number;
  readonly publicUrl: string;
  readonly apiTokens: readonly string[];
  /** The token printed at start-up in sandbox mode when API_TOKENS is not set. */
  readonly developmentToken: string | null;
}

export function resolveSettings(config: GatewayConfig, port: number): GatewaySettings {
  const sandbox = !isLive(config);
  const developmentToken = config.API_TOKENS.length === 0 ? `sandbox-${randomBytes(16).toString('hex')}` : null;
  return {
    config,
    sandbox,
    port,
    publicUrl: (config.PUBLIC_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    apiTokens: developmentToken ? [developmentToken] : config.API_TOKENS,
    developmentToken,
  };
}
