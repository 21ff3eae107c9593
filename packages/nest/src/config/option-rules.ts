import { isIP } from 'node:net';
import { normalizeIp } from '@cryptopay/provider-kit';

/** The shortest API token accepted: a guessable token would open the invoice API. */
export const MIN_API_TOKEN_LENGTH = 16;
/** Visible ASCII only: anything else could never arrive in an `Authorization: Bearer <token>` header. */
const API_TOKEN = new RegExp(`^[\\x21-\\x7e]{${MIN_API_TOKEN_LENGTH},}$`);

export function isAcceptableApiToken(token: unknown): boolean {
  return typeof token === 'string' && API_TOKEN.test(token);
}

/** An address or `address/prefix`, exactly as the trusted-proxy list and the providers' allowlists parse it. */
export function isIpOrCidr(entry: unknown): boolean {
  if (typeof entry !== 'string') return false;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(normalizeIp(address));
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^[0-9]{1,3}$/.test(prefix) && Number.parseInt(prefix, 10) <= (family === 6 ? 128 : 32);
}
