import { CredentialKeyRing, rotateCredentialKeys } from '@cryptopay/nest';
import { createStore } from '@cryptopay/store';
import { type GatewayConfig } from '../config/gateway-config.js';
import { ConfigError } from '../config/load-config.js';
import { moduleOptionsOf } from '../config/module-settings.js';

/**
 * `rotate-credentials`: re-wraps every merchant data key still under an older key of
 * `CREDENTIALS_KEYS` with the first (current) one. Put the new key first, keep the old ones listed
 * until this has run on every database, then drop them. Safe while the gateway serves.
 */
export async function rotateCredentials(config: GatewayConfig): Promise<string> {
  if (config.CREDENTIALS_KEYS === undefined) throw new ConfigError(['CREDENTIALS_KEYS is not set: list the new key first, then the old ones']);
  const ring = CredentialKeyRing.parse(config.CREDENTIALS_KEYS);
  const store = await createStore(moduleOptionsOf(config).store);
  try {
    await store.migrateToLatest();
    const { rotated, current } = await rotateCredentialKeys(store.merchants, ring);
    return `rotate-credentials: ${rotated} merchant data key(s) re-wrapped under "${ring.currentKeyId}", ${current} already current`;
  } finally {
    await store.close();
  }
}
