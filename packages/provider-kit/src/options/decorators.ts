import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';
import { isIpOrCidrList } from '../network/ip-ranges.js';
import { isStrongCallbackSecret, MIN_CALLBACK_SECRET_LENGTH } from './rules/callback-secret.js';
import { isHttpUrl } from './rules/http-url.js';
import { isProviderName } from './rules/provider-name.js';
import { isRsaPublicKeyPem } from './rules/rsa-public-key.js';

/** The rules options share, as class-validator decorators; pass `{ message }` to say what the option is for. */
function rule(name: string, validate: (value: unknown) => boolean, expected: string) {
  return (options?: ValidationOptions): PropertyDecorator =>
    ValidateBy({ name, validator: { validate, defaultMessage: buildMessage((each) => `${each}$property must be ${expected}`, options) } }, options);
}

/** An absolute http(s) base URL without query or fragment ({@link isHttpUrl}). */
export const IsHttpUrl = rule('isHttpUrl', isHttpUrl, 'an http(s) URL without query or fragment, like https://example.com');

/** A list of IP addresses or CIDR ranges, as the trusted proxies and source allowlists parse them. */
export const IsIpOrCidrList = rule('isIpOrCidrList', isIpOrCidrList, 'a list of IP addresses or CIDR ranges (IPv4 prefix ≤ 32, IPv6 ≤ 128)');

/** A PEM-encoded RSA public key. */
export const IsRsaPublicKeyPem = rule('isRsaPublicKeyPem', isRsaPublicKeyPem, 'a PEM-encoded RSA public key ("-----BEGIN PUBLIC KEY-----…")');

/** A provider name, as adapters are held to at start-up. */
export const IsProviderName = rule('isProviderName', isProviderName, 'a provider name: 2–32 lower-case letters, digits or dashes, starting with a letter');

/** A callback secret random enough to authenticate callbacks ({@link isStrongCallbackSecret}). */
export const IsStrongCallbackSecret = rule(
  'isStrongCallbackSecret',
  isStrongCallbackSecret,
  `at least ${MIN_CALLBACK_SECRET_LENGTH} random characters of A-Z, a-z, 0-9, _ or - (generateCallbackSecret() or openssl rand -hex 20 makes one)`,
);
