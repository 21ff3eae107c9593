import { hash } from 'node:crypto';
import { type Fingerprint, type IdempotencyKey } from '@cryptopay/idempotency';
import { type RawCallback } from '@cryptopay/provider-kit';
import { LRUCache } from 'lru-cache';

/** What replaying a delivery's stored answer took from its parsed callback: the key and the digests the stored answer must match. */
export interface ReplayedDelivery {
  readonly key: IdempotencyKey;
  readonly invoiceId: string;
  readonly deliveryKey: string;
  /** How the callback was bound (its locator and nonce), as kept with the stored answer. */
  readonly binding: string;
  /** The delivery's fingerprint (invoice and delivery key), as kept with the stored answer. */
  readonly fingerprint: Fingerprint;
}

/** Copies remembered at most (a few hundred bytes each); the least recently answered goes first. */
const CAPACITY = 10_000;

/**
 * The callbacks this process last answered by replaying a stored answer, by a digest of what the
 * adapter's `parse` reads. A storm of copies then costs one parse per delivery, not one per copy.
 * Sound without expiry because a parse is a pure function of what is digested (the adapter contract
 * says so and the conformance suite checks it) and only the parse is remembered: each copy still
 * passes verification first, and its stored answer is still looked up and must match before it is
 * replayed.
 */
export class RecentReplays {
  private readonly replayed = new LRUCache<string, ReplayedDelivery>({ max: CAPACITY });

  get(copy: string): ReplayedDelivery | undefined {
    return this.replayed.get(copy);
  }

  remember(copy: string, delivery: ReplayedDelivery): void {
    this.replayed.set(copy, delivery);
  }
}

/**
 * SHA-256 of what `parse` reads (method, target, content type, body) and of the provider account
 * whose adapter reads it. Each part is length-prefixed, so no two callbacks meet; the body is
 * hashed on its own first, so its bytes are never copied into a string.
 */
export function copyDigest(provider: string, accountId: string | null, raw: RawCallback): string {
  const parts = [provider, accountId ?? '', raw.method, raw.target, raw.headers['content-type'] ?? '', hash('sha256', raw.body, 'base64url')];
  return hash('sha256', parts.map((part) => `${part.length}:${part}`).join(''), 'base64url');
}
