import { randomBytes } from 'node:crypto';

/** Unguessable, so no other worker can complete or release a key it does not own. */
export function newOwnerToken(): string {
  return randomBytes(16).toString('base64url');
}
