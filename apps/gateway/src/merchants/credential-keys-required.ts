import { type Store } from '@cryptopay/store';
import { ConfigError } from '../config/load-config.js';
import { type GatewaySettings } from '../config/runtime.js';

/**
 * Live mode with provider accounts in the database needs `CREDENTIALS_KEYS` to decrypt their
 * credentials: without it the gateway refuses to start (exit 2) rather than fail each callback.
 */
export async function requireCredentialKeys(settings: GatewaySettings, store: Store): Promise<void> {
  if (settings.sandbox || settings.config.CREDENTIALS_KEYS !== undefined) return;
  const accounts = await store.merchants.countProviderAccounts();
  if (accounts > 0) {
    throw new ConfigError([`CREDENTIALS_KEYS is required: the database holds ${accounts} merchant provider account(s) whose credentials it decrypts (kid:base64-of-32-bytes, see docs/merchants.md)`]);
  }
}
