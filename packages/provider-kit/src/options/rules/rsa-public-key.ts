import { createPublicKey, type KeyObject } from 'node:crypto';

/** Parses a PEM (SPKI or PKCS#1) that must hold an RSA public key; throws a TypeError saying why otherwise. */
export function parseRsaPublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new TypeError('is not a PEM-encoded public key');
  }
  if (key.asymmetricKeyType !== 'rsa') throw new TypeError(`holds a ${key.asymmetricKeyType ?? 'non-RSA'} key, not an RSA key`);
  return key;
}

/** Whether `value` is a PEM that RSA-SHA256 signatures can be checked with (PEM markers around garbage are not). */
export function isRsaPublicKeyPem(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    parseRsaPublicKey(value);
    return true;
  } catch {
    return false;
  }
}
