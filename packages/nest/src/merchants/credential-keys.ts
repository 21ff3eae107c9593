import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** The format version every ciphertext starts with: `v1:<key id>:<iv>:<ciphertext>:<tag>`, base64url parts. */
const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** `CREDENTIALS_KEYS` is unusable; names what is wrong, never a key. */
export class CredentialKeysError extends Error {
  override readonly name = 'CredentialKeysError';
}

/** A ciphertext did not decrypt: another row's, a key no longer configured, or tampered with. Never says more. */
export class CredentialDecryptionError extends Error {
  override readonly name = 'CredentialDecryptionError';
}

/** A merchant's data key in clear (memory only), with its id: a hash of the key, stable across key rotations. */
export interface DataKey {
  readonly id: string;
  readonly key: Buffer;
}

interface KeyEncryptionKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * Envelope encryption of provider credentials (AES-256-GCM, node:crypto): key-encryption keys from
 * `CREDENTIALS_KEYS` (`kid:base64-of-32-bytes`, comma-separated; the first encrypts, all decrypt) wrap
 * one data key per merchant; data keys encrypt the credential fields. Additional authenticated data
 * binds each ciphertext to what it belongs to (a data key to its merchant; a field to its merchant,
 * account and name), so a ciphertext copied to another row does not decrypt.
 */
export class CredentialKeyRing {
  private constructor(private readonly keys: readonly KeyEncryptionKey[]) {}

  /** Parses `CREDENTIALS_KEYS`; a {@link CredentialKeysError} names what is wrong. */
  static parse(text: string): CredentialKeyRing {
    const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry.length > 0);
    if (entries.length === 0) throw new CredentialKeysError('CREDENTIALS_KEYS must list at least one key as kid:base64-of-32-bytes');
    const keys = entries.map((entry, index) => parseKey(entry, index));
    const ids = keys.map(({ id }) => id);
    if (new Set(ids).size !== ids.length) throw new CredentialKeysError('CREDENTIALS_KEYS lists a key id twice; each key needs its own id');
    return new CredentialKeyRing(keys);
  }

  /** A ring of one fresh key: sandbox mode, where nothing is worth keeping secret beyond the run. */
  static generate(id = 'sandbox'): { readonly ring: CredentialKeyRing; readonly text: string } {
    const key = randomBytes(KEY_BYTES);
    return { ring: new CredentialKeyRing([{ id, key }]), text: `${id}:${key.toString('base64')}` };
  }

  /** The id of the key new data keys are wrapped with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  newDataKey(): DataKey {
    return dataKeyOf(randomBytes(KEY_BYTES));
  }

  wrapDataKey(merchantId: string, dataKey: DataKey): string {
    return seal(this.current.id, this.current.key, dataKey.key, dataKeyContext(merchantId));
  }

  unwrapDataKey(merchantId: string, wrapped: string): DataKey {
    const { keyId } = parseSealed(wrapped);
    const kek = this.keys.find(({ id }) => id === keyId);
    if (!kek) throw new CredentialDecryptionError(`the data key of merchant ${merchantId} is wrapped with key "${keyId}", which CREDENTIALS_KEYS does not list`);
    return dataKeyOf(open(wrapped, kek.key, dataKeyContext(merchantId)));
  }

  /** Whether a wrapped data key is under an older key than the current one (key rotation). */
  isCurrent(wrapped: string): boolean {
    return parseSealed(wrapped).keyId === this.current.id;
  }

  private get current(): KeyEncryptionKey {
    return this.keys[0] as KeyEncryptionKey;
  }
}

/** Where a credential field belongs: its ciphertext decrypts only there. */
export interface CredentialPlace {
  readonly merchantId: string;
  readonly accountId: string;
  readonly field: string;
}

export function encryptCredential(dataKey: DataKey, place: CredentialPlace, value: string): string {
  return seal(dataKey.id, dataKey.key, Buffer.from(value, 'utf8'), credentialContext(place));
}

export function decryptCredential(dataKey: DataKey, place: CredentialPlace, sealed: string): string {
  const { keyId } = parseSealed(sealed);
  if (keyId !== dataKey.id) throw new CredentialDecryptionError(`credential ${place.field} of account ${place.accountId} is under another data key`);
  return open(sealed, dataKey.key, credentialContext(place)).toString('utf8');
}

function parseKey(entry: string, index: number): KeyEncryptionKey {
  const at = `CREDENTIALS_KEYS entry ${index + 1}`;
  const colon = entry.indexOf(':');
  const id = colon > 0 ? entry.slice(0, colon) : '';
  if (!KEY_ID.test(id)) throw new CredentialKeysError(`${at} must be kid:base64-of-32-bytes, the kid 1-32 characters of A-Z a-z 0-9 _ -`);
  const material = entry.slice(colon + 1);
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(material) ? Buffer.from(material, 'base64') : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) throw new CredentialKeysError(`${at} (kid "${id}") must hold exactly 32 bytes in base64 (e.g. openssl rand -base64 32)`);
  return { id, key };
}

function dataKeyOf(key: Buffer): DataKey {
  return { id: `dk-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`, key };
}

function dataKeyContext(merchantId: string): string {
  return `cryptopay:data-key:${VERSION}:${merchantId}`;
}

function credentialContext({ merchantId, accountId, field }: CredentialPlace): string {
  return `cryptopay:credential:${VERSION}:${merchantId}:${accountId}:${field}`;
}

function seal(keyId: string, key: Buffer, plaintext: Buffer, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [VERSION, keyId, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(':');
}

function parseSealed(sealed: string): { readonly keyId: string; readonly iv: Buffer; readonly ciphertext: Buffer; readonly tag: Buffer } {
  const [version, keyId, iv, ciphertext, tag, ...rest] = sealed.split(':');
  if (version !== VERSION || !keyId || iv === undefined || ciphertext === undefined || tag === undefined || rest.length > 0) {
    throw new CredentialDecryptionError(`not a ${VERSION} ciphertext`);
  }
  return { keyId, iv: Buffer.from(iv, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url'), tag: Buffer.from(tag, 'base64url') };
}

function open(sealed: string, key: Buffer, context: string): Buffer {
  const { iv, ciphertext, tag } = parseSealed(sealed);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new CredentialDecryptionError('a ciphertext did not decrypt: it belongs to another row, or was altered');
  }
}
