import { type CredentialKeyRing } from './credential-keys.js';
import { type MerchantStore } from './merchant-store.js';

export interface RotationReport {
  /** Merchants whose data key was re-wrapped under the current key. */
  readonly rotated: number;
  /** Merchants already under the current key (or without a data key yet). */
  readonly current: number;
}

/**
 * Re-wraps every merchant data key still under an older key-encryption key with the current one
 * (the first of `CREDENTIALS_KEYS`). The data keys themselves, and so every credential ciphertext,
 * stay as they are. Safe while the gateway serves: each row is replaced only if it is still what was
 * read, and every instance decrypts with any key of the ring, old or new.
 */
export async function rotateCredentialKeys(store: MerchantStore, ring: CredentialKeyRing): Promise<RotationReport> {
  let rotated = 0;
  let current = 0;
  for (const merchant of await store.listMerchants()) {
    const wrapped = merchant.dataKey;
    if (wrapped === null || ring.isCurrent(wrapped)) {
      current += 1;
      continue;
    }
    const rewrapped = ring.wrapDataKey(merchant.id, ring.unwrapDataKey(merchant.id, wrapped));
    // Changed meanwhile: another rotation got there first, and wrote the current key.
    if (await store.replaceDataKey(merchant.id, wrapped, rewrapped)) rotated += 1;
    else current += 1;
  }
  return { rotated, current };
}
