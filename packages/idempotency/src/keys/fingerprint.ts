import { hash } from 'node:crypto';

declare const fingerprintBrand: unique symbol;

/** A fixed-size digest of what a key was first claimed for; only `fingerprintOf` makes one. */
export type Fingerprint = string & { readonly [fingerprintBrand]: true };

/**
 * SHA-256 of the parts, each length-prefixed so that ('ab', 'c') and ('a', 'bc') differ. Hashed in
 * one call (a duplicate callback computes one): a quarter of the cost of a streaming hash object.
 */
export function fingerprintOf(...parts: readonly string[]): Fingerprint {
  const framed = parts.map((part) => `${Buffer.byteLength(part, 'utf8')}:${part}`).join('');
  return hash('sha256', framed, 'base64url') as Fingerprint;
}

/**
 * JSON with object keys sorted at every level, so the same body sent with another key order fingerprints the
 * same. bigint is written as its exact decimal digits; numbers as JSON writes them.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (hasToJson(value)) return canonicalJson(value.toJSON());
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null) ?? 'null';
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** The fingerprint of an API request: method, URL (path and query) and canonical body. */
export function requestFingerprint(method: string, url: string, body: unknown): Fingerprint {
  return fingerprintOf(method.toUpperCase(), url, canonicalJson(body));
}

/** The first 128 bits of a fingerprint: what a compact record keeps (see the store's record format). */
const COMPARED_LENGTH = 22;

/**
 * Whether a stored fingerprint is the one of this request. A completed key's record keeps only the
 * first 128 bits, so fingerprints are compared on those (a shorter stored value never matches: its
 * slice is shorter than the computed one's).
 */
export function sameFingerprint(stored: string, computed: Fingerprint): boolean {
  return stored.slice(0, COMPARED_LENGTH) === computed.slice(0, COMPARED_LENGTH);
}
