import { randomBytes } from 'node:crypto';

export const MIN_CALLBACK_SECRET_LENGTH = 32;
/** URL-safe, so the secret goes into a callback URL unencoded and compares byte for byte. */
const CALLBACK_SECRET_PATTERN = /^[A-Za-z0-9_-]+$/;
/** A random 32+ character secret has far more; fewer means a typed or placeholder value. */
const MIN_DISTINCT_CHARACTERS = 10;

/** A new callback secret: 32 random bytes, base64url (43 characters). */
export function generateCallbackSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether a callback secret looks random enough: long, URL-safe, not a repeated or placeholder pattern. */
export function isStrongCallbackSecret(secret: unknown): secret is string {
  return (
    typeof secret === 'string' &&
    secret.length >= MIN_CALLBACK_SECRET_LENGTH &&
    CALLBACK_SECRET_PATTERN.test(secret) &&
    new Set(secret).size >= MIN_DISTINCT_CHARACTERS
  );
}
