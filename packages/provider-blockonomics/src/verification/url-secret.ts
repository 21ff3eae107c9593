import { ACCEPTED, type CallbackVerdict, type RawCallback, rejected, type Secret } from '@cryptopay/provider-kit';
import { readCallbackQuery, singleValue } from '../wire/callback.js';
import { CALLBACK_SECRET_PARAM } from '../wire/constants.js';

/**
 * Blockonomics authenticates callbacks with nothing but the secret the merchant put into the store's
 * callback URL: it must come back exactly once and equal ours (compared in constant time). Missing →
 * 401; wrong, empty or repeated → 403. Only the secret is looked at, so nothing else is read first.
 */
export function verifyCallbackSecret(callback: RawCallback, secret: Secret): CallbackVerdict {
  const query = readCallbackQuery(callback);
  if (!query.ok) return rejected(401, 'the query string cannot be read, so the callback secret cannot be checked');
  const sent = singleValue(query.value, CALLBACK_SECRET_PARAM);
  if (!sent.ok) return rejected(403, 'the callback secret must appear exactly once');
  if (sent.value === undefined) return rejected(401, 'missing callback secret; the store callback URL must end with ?secret=<your secret>');
  if (!secret.matches(sent.value)) return rejected(403, 'wrong callback secret');
  return ACCEPTED;
}
