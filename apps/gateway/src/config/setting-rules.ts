import { createPublicKey } from 'node:crypto';
import { isAcceptableApiToken, isIpOrCidr } from '@cryptopay/nest';
import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

// The same rules PaymentsModule checks its options with, so a setting that passes here starts.
export { MIN_API_TOKEN_LENGTH } from '@cryptopay/nest';

@ValidatorConstraint({ name: 'ipOrCidrList' })
export class IpOrCidrList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && value.every(isIpOrCidr);
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
    return Array.isArray(value) && value.every(isAcceptableApiToken);
  }
}
