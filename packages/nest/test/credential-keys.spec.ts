import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { CredentialDecryptionError, CredentialKeyRing, CredentialKeysError, decryptCredential, encryptCredential } from '../src/merchants/credential-keys.js';
import { apiKeyHash, apiKeyMatches, formatApiKey, parseApiKey } from '../src/merchants/api-key-secret.js';
import { newId } from '../src/merchants/identifiers.js';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('credential envelope encryption', () => {
  const ring = CredentialKeyRing.parse(key('k1'));
  const dataKey = ring.newDataKey();
  const place = { merchantId: 'mer_a', accountId: 'pa_1', field: 'apiKey' };

  it('round-trips a credential, tagged with its format version and data key id, never holding it in clear', () => {
    const sealed = encryptCredential(dataKey, place, 'the-provider-api-key');
    expect(sealed.startsWith(`v1:${dataKey.id}:`)).toBe(true);
    expect(sealed).not.toContain('the-provider-api-key');
    expect(decryptCredential(dataKey, place, sealed)).toBe('the-provider-api-key');
  });

  it.each([
    ['another merchant', { ...place, merchantId: 'mer_b' }],
    ['another account', { ...place, accountId: 'pa_2' }],
    ['another field', { ...place, field: 'callbackSecret' }],
  ])('refuses a ciphertext copied to %s', (_name, elsewhere) => {
    const sealed = encryptCredential(dataKey, place, 'secret-value');
    expect(() => decryptCredential(dataKey, elsewhere, sealed)).toThrow(CredentialDecryptionError);
  });

  it('refuses a tampered ciphertext and one under another data key', () => {
    const sealed = encryptCredential(dataKey, place, 'secret-value');
    const parts = sealed.split(':');
    const body = Buffer.from(parts[3] as string, 'base64url');
    body[0] = (body[0] as number) ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => decryptCredential(dataKey, place, parts.join(':'))).toThrow(CredentialDecryptionError);
    expect(() => decryptCredential(ring.newDataKey(), place, sealed)).toThrow(CredentialDecryptionError);
  });

  it('wraps data keys under the first key, unwraps under any listed one, and binds them to their merchant', () => {
    const oldText = key('old');
    const old = CredentialKeyRing.parse(oldText);
    const wrapped = old.wrapDataKey('mer_a', dataKey);
    expect(wrapped.startsWith('v1:old:')).toBe(true);
    const rotated = CredentialKeyRing.parse(`${key('new')},${oldText}`);
    expect(rotated.isCurrent(wrapped)).toBe(false);
    expect(rotated.unwrapDataKey('mer_a', wrapped)).toEqual(dataKey);
    expect(rotated.isCurrent(rotated.wrapDataKey('mer_a', dataKey))).toBe(true);
    expect(() => old.unwrapDataKey('mer_b', wrapped)).toThrow(CredentialDecryptionError);
    expect(() => CredentialKeyRing.parse(key('other')).unwrapDataKey('mer_a', wrapped)).toThrow(/key "old", which CREDENTIALS_KEYS does not list/);
  });

  it.each([
    ['', 'at least one key'],
    ['nokid', 'kid:base64'],
    [`k1:${randomBytes(16).toString('base64')}`, 'exactly 32 bytes'],
    [`${key('k1')},${key('k1')}`, 'twice'],
  ])('refuses CREDENTIALS_KEYS %j, naming what is wrong and never a key', (text, message) => {
    expect(() => CredentialKeyRing.parse(text)).toThrow(CredentialKeysError);
    expect(() => CredentialKeyRing.parse(text)).toThrow(message);
  });
});

describe('API keys', () => {
  const dataKey = CredentialKeyRing.parse(key('k1')).newDataKey();

  it('carry their id, and match their keyed hash only', () => {
    const id = newId('ak');
    const { key: apiKey, secret } = formatApiKey(id);
    const parsed = parseApiKey(apiKey);
    expect(parsed).toEqual({ keyId: id, secret });
    const stored = apiKeyHash(dataKey, id, secret);
    expect(stored).not.toContain(secret);
    expect(apiKeyMatches(dataKey, { keyId: id, secret }, stored)).toBe(true);
    const other = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(apiKeyMatches(dataKey, { keyId: id, secret: other }, stored)).toBe(false);
    expect(apiKeyMatches(CredentialKeyRing.parse(key('k2')).newDataKey(), { keyId: id, secret }, stored)).toBe(false);
    expect(parseApiKey('not-a-key')).toBeNull();
  });
});
