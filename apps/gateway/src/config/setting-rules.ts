import { createPublicKey } from 'node:crypto';
import { isIP } from 'node:net';
import { normalizeIp } from '@cryptopay/provider-kit';
import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

/** The shortest API token accepted: a guessable token would open the invoice API. */
export const MIN_API_TOKEN_LENGTH = 16;
/** Visible ASCII only: anything else can never arrive in an `Authorization: Bearer <token>` header. */
const API_TOKEN = new RegExp(`^[\\x21-\\x7e]{${MIN_API_TOKEN_LENGTH},}$`);

/** An address or `address/prefix` exactly as the providers' allowlist and the trusted-proxy list parse it. */
export function isIpOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(normalizeIp(address));
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^[0-9]{1,3}$/.test(prefix) && Number.parseInt(prefix, 10) <= (family === 6 ? 128 : 32);
}

@ValidatorConstraint({ name: 'ipOrCidrList' })
export class IpOrCidrList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && value.every((entry) => typeof entry === 'string' && isIpOrCidr(entry));
  }
}

/** A key BlockBee's RSA-SHA256 signatures can be checked with: PEM markers around garbage are not one. */
@ValidatorConstraint({ name: 'rsaPublicKeyPem' })
export class RsaPublicKeyPem implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    try {
      return createPublicKey({ key: value, format: 'pem' }).asymmetricKeyType === 'rsa';
    } catch {
      return false;
    }
  }
}

@ValidatorConstraint({ name: 'apiTokenList' })
export class ApiTokenList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && value.every((token) => typeof token === 'string' && API_TOKEN.test(token));
  }
}
