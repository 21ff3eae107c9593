import { randomBytes } from 'node:crypto';
import { type PaymentsModuleOptions } from '@cryptopay/nest';
import { type CommonProviderSettings } from '@cryptopay/provider-kit';
import { type GatewayConfig } from './gateway-config.js';
import { moduleOptionsOf, type ModuleOptionsFromEnvironment } from './module-settings.js';
import { commonProviderSettings, type ConfiguredProvider } from './provider-settings.js';

/** The configuration with what follows from it: sandbox mode, the API tokens in force, the public URL, each module's options. */
export interface GatewaySettings {
  readonly config: GatewayConfig;
  /** Sandbox mode: every provider's simulator runs in-process and test payments count. */
  readonly sandbox: boolean;
  readonly port: number;
  /** The address the HTTP server binds: `HOST`, else 127.0.0.1 in sandbox mode and 0.0.0.0 in live mode. */
  readonly host: string;
  /** The listener for `/health*`, `/metrics` and `/docs*` when `ADMIN_PORT` is set (host `ADMIN_HOST`, else 127.0.0.1); null: the public one serves them. */
  readonly admin: { readonly port: number; readonly host: string } | null;
  /** Whether `/docs` and `/docs-json` are served: `API_DOCS`, else in sandbox mode only. */
  readonly apiDocs: boolean;
  readonly publicUrl: string;
  readonly apiTokens: readonly string[];
  /** The token printed at start-up in sandbox mode when API_TOKENS is not set. */
  readonly developmentToken: string | null;
  /** The options the environment sets, with the public URL, the tokens in force and whether test payments count. */
  readonly modules: ModuleOptionsFromEnvironment & { readonly payments: Omit<PaymentsModuleOptions, 'store' | 'metrics' | 'coins'> };
  /** The providers the environment enables, with their module options; none in sandbox mode. */
  readonly providers: readonly ConfiguredProvider[];
  /** What every provider is given of the gateway's settings (its sandbox too). */
  readonly common: CommonProviderSettings;
}

export function resolveSettings(config: GatewayConfig, port: number): GatewaySettings {
  const sandbox = config.mode === 'sandbox';
  const developmentToken = config.API_TOKENS.length === 0 ? `sandbox-${randomBytes(16).toString('hex')}` : null;
  const publicUrl = (config.PUBLIC_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, '');
  const apiTokens = developmentToken ? [developmentToken] : config.API_TOKENS;
  const modules = moduleOptionsOf(config);
  return {
    config,
    sandbox,
    port,
    host: config.HOST ?? (sandbox ? '127.0.0.1' : '0.0.0.0'),
    admin: config.ADMIN_PORT === undefined ? null : { port: config.ADMIN_PORT, host: config.ADMIN_HOST ?? '127.0.0.1' },
    apiDocs: config.API_DOCS === undefined ? sandbox : config.API_DOCS === 'true',
    publicUrl,
    apiTokens,
    developmentToken,
    modules: {
      ...modules,
      payments: {
        ...modules.payments,
        publicUrl,
        apiTokens,
        policies: { ...modules.payments.policies, allowTestPayments: sandbox },
        // The sandbox's webhook receivers are local: private networks are allowed unless set.
        webhooks: { allowPrivateNetworks: sandbox, ...modules.payments.webhooks },
      },
    },
    providers: config.providers,
    common: commonProviderSettings(config.TRUST_PROXY),
  };
}
