import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '@cryptopay/provider-kit';
import { type DataKey } from './credential-keys.js';

/** `cpk_<key id>_<secret>`: the id is readable in the key, so the lookup is one read by primary key. */
const API_KEY = /^cpk_(ak_[a-z2-7]{20})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  readonly keyId: string;
  readonly secret: string;
}

export function formatApiKey(keyId: string): { readonly key: string; readonly secret: string } {
  const secret = randomBytes(32).toString('base64url');
  return { key: `cpk_${keyId}_${secret}`, secret };
}

export function parseApiKey(token: string): ParsedApiKey | null {
  const match = API_KEY.exec(token);
  return match ? { keyId: match[1] as string, secret: match[2] as string } : null;
}

/**
 * The stored form of a key's secret: HMAC-SHA256 under a key derived from its merchant's data key,
 * so a copy of the database alone cannot test guesses (the data key is wrapped by CREDENTIALS_KEYS).
 */
export function apiKeyHash(dataKey: DataKey, keyId: string, secret: string): string {
  const hashKey = Buffer.from(hkdfSync('sha256', dataKey.key, Buffer.alloc(0), 'cryptopay:api-key-hash:v1', 32));
  return createHmac('sha256', hashKey).update(`${keyId}.${secret}`).digest('hex');
}

export function apiKeyMatches(dataKey: DataKey, parsed: ParsedApiKey, storedHash: string): boolean {
  return constantTimeEqual(apiKeyHash(dataKey, parsed.keyId, parsed.secret), storedHash);
}
