import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CredentialKeyRing, type MerchantsOptions } from '@cryptopay/nest';
import { type ProviderAccountFactory } from '@cryptopay/provider-kit';
import { type GatewaySettings } from '../config/runtime.js';
import { PROVIDERS } from '../providers.js';
import { type SandboxProviders } from '../sandbox/sandbox-providers.js';

/** Where sandbox mode keeps the key it generated, so merchants' credentials survive a restart. */
const SANDBOX_KEY_FILE = 'sandbox-credentials-keys';

/**
 * The payments module's merchant options: `CREDENTIALS_KEYS` (in sandbox mode without it, a key
 * generated once and kept in DATA_DIR), every provider's account factory, and what each account of a
 * provider starts from: in sandbox mode the simulator's options (its URL, signing key, test payments)
 * without its credentials; live, the gateway's trusted proxies where the provider takes them.
 */
export function merchantsOptions(settings: GatewaySettings, sandbox: SandboxProviders | null): MerchantsOptions {
  const accounts = PROVIDERS.flatMap(({ accounts }) => (accounts ? [accounts] : []));
  const credentialKeys = settings.config.CREDENTIALS_KEYS ?? (sandbox ? sandboxCredentialKeys(settings.config.DATA_DIR) : undefined);
  const accountDefaults = Object.fromEntries(accounts.map((factory) => [factory.provider, defaultsOf(factory, settings, sandbox)]));
  return { ...(credentialKeys === undefined ? {} : { credentialKeys }), accounts, accountDefaults };
}

function defaultsOf(factory: ProviderAccountFactory, settings: GatewaySettings, sandbox: SandboxProviders | null): Record<string, unknown> {
  const simulated = sandbox?.of(factory.provider)?.options as Record<string, unknown> | undefined;
  if (simulated) return Object.fromEntries(Object.entries(simulated).filter(([option]) => !factory.credentialFields.includes(option)));
  return factory.settingFields.includes('trustedProxies') ? { trustedProxies: [...settings.common.trustedProxies] } : {};
}

function sandboxCredentialKeys(dataDir: string): string {
  const path = join(dataDir, SANDBOX_KEY_FILE);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const { text } = CredentialKeyRing.generate();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path, text, { mode: 0o600 });
  return text;
}
