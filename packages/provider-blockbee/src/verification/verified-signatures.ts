import { hash, type KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { verifyRsaSha256 } from './signature.js';

/** Signatures remembered at most (base64 SHA-256 digests: about 1 MB); least recently used first out. */
const DEFAULT_CAPACITY = 10_000;

/**
 * RSA verification that remembers what it already accepted, as Bitcoin Core's signature cache does:
 * a provider retrying a callback resends the same bytes under the same signature, and checking that
 * pair again costs an RSA operation for a verdict that cannot change. Only accepted pairs are kept (a
 * forged one always pays the full check), under the SHA-256 of the signature's length, the signature
 * and the signed bytes (so no split of one byte string into another signature and message matches),
 * and only for the key they were verified with: a rotated key starts empty.
 */
export class VerifiedSignatures {
  private readonly accepted: LRUCache<string, true>;
  private key: KeyObject | null = null;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.accepted = new LRUCache({ max: capacity });
  }

  verify(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
    if (key !== this.key) {
      this.accepted.clear();
      this.key = key;
    }
    const id = pairId(data, signature);
    if (this.accepted.get(id)) return true;
    if (!verifyRsaSha256(key, data, signature)) return false;
    this.accepted.set(id, true);
    return true;
  }
}

function pairId(data: Uint8Array, signature: Uint8Array): string {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(signature.byteLength);
  return hash('sha256', Buffer.concat([length, signature, data]), 'base64');
}
