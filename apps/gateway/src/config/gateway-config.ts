import { DEFAULT_KEY_PREFIX, DEFAULT_RECENT_OUTCOMES, KEY_PREFIX_PATTERN } from '@cryptopay/idempotency';
import { Transform } from 'class-transformer';
import { isStrongCallbackSecret, MIN_CALLBACK_SECRET_LENGTH } from '@cryptopay/provider-blockonomics';
import {
  ArrayNotEmpty,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { ApiTokenList, IpOrCidrList, MIN_API_TOKEN_LENGTH, RsaPublicKeyPem } from './setting-rules.js';

const list = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter((item) => item.length > 0) : value;
const integer = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^-?[0-9]+$/.test(value) ? Number(value) : value);
const HTTP_URL = /^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/;

@ValidatorConstraint({ name: 'strongSecret' })
class StrongSecret implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isStrongCallbackSecret(value);
  }
}

/** Live mode: a provider API key is set (otherwise the gateway runs in sandbox mode). */
export function isLive(config: Pick<GatewayConfig, 'BLOCKONOMICS_API_KEY' | 'BLOCKBEE_API_KEY'>): boolean {
  return config.BLOCKONOMICS_API_KEY !== undefined || config.BLOCKBEE_API_KEY !== undefined;
}

/**
 * Every setting of the gateway, read from the environment (and an optional file); see
 * docs/configuration.md. Each is initialized (unset ones to undefined), so the class lists them all.
 */
export class GatewayConfig {
  @Transform(integer)
  @IsInt({ message: 'PORT must be a whole number from 0 to 65535' })
  @Min(0, { message: 'PORT must be a whole number from 0 to 65535' })
  @Max(65_535, { message: 'PORT must be a whole number from 0 to 65535' })
  PORT = 3000;

  @ValidateIf((config: GatewayConfig) => config.PUBLIC_URL !== undefined || isLive(config))
  @IsDefined({ message: 'PUBLIC_URL is required when a provider API key is set: the URL providers call back' })
  @Matches(HTTP_URL, { message: 'PUBLIC_URL must be an http(s) URL without query, like https://pay.example.com' })
  PUBLIC_URL?: string = undefined;

  @Transform(list)
  @ValidateIf((config: GatewayConfig) => config.API_TOKENS.length > 0 || isLive(config))
  @ArrayNotEmpty({ message: 'API_TOKENS is required when a provider API key is set (sandbox mode generates one)' })
  @Validate(ApiTokenList, {
    message: `API_TOKENS must be comma-separated tokens of at least ${MIN_API_TOKEN_LENGTH} characters each, visible ASCII without spaces or control characters`,
  })
  API_TOKENS: string[] = [];

  @IsOptional()
  @Matches(/^postgres(?:ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string = undefined;

  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DATABASE_SCHEMA must be a lower-case identifier of letters, digits and _ (at most 63)' })
  DATABASE_SCHEMA = 'public';

  @IsIn(['true', 'false'], { message: 'DATABASE_PREPARED_STATEMENTS must be true or false' })
  DATABASE_PREPARED_STATEMENTS: 'true' | 'false' = 'true';

  @IsString()
  @MinLength(1, { message: 'DATA_DIR must be a directory path' })
  DATA_DIR = './.data';

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string = undefined;

  @Matches(KEY_PREFIX_PATTERN, { message: 'IDEMPOTENCY_KEY_PREFIX must be 1 to 64 characters of A-Z a-z 0-9 . _ : -' })
  IDEMPOTENCY_KEY_PREFIX = DEFAULT_KEY_PREFIX;

  @Transform(integer)
  @IsInt({ message: 'IDEMPOTENCY_LEASE_SECONDS must be a whole number of seconds from 2 to 3600' })
  @Min(2, { message: 'IDEMPOTENCY_LEASE_SECONDS must be a whole number of seconds from 2 to 3600' })
  @Max(3600, { message: 'IDEMPOTENCY_LEASE_SECONDS must be a whole number of seconds from 2 to 3600' })
  IDEMPOTENCY_LEASE_SECONDS = 30;

  @Transform(integer)
  @IsInt({ message: 'IDEMPOTENCY_RESULT_TTL_HOURS must be a whole number of hours from 1 to 8760' })
  @Min(1, { message: 'IDEMPOTENCY_RESULT_TTL_HOURS must be a whole number of hours from 1 to 8760' })
  @Max(8760, { message: 'IDEMPOTENCY_RESULT_TTL_HOURS must be a whole number of hours from 1 to 8760' })
  IDEMPOTENCY_RESULT_TTL_HOURS = 72;

  @Transform(integer)
  @IsInt({ message: 'IDEMPOTENCY_RECENT_OUTCOMES must be a whole number from 0 to 1000000' })
  @Min(0, { message: 'IDEMPOTENCY_RECENT_OUTCOMES must be a whole number from 0 to 1000000' })
  @Max(1_000_000, { message: 'IDEMPOTENCY_RECENT_OUTCOMES must be a whole number from 0 to 1000000' })
  IDEMPOTENCY_RECENT_OUTCOMES = DEFAULT_RECENT_OUTCOMES;

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'BLOCKONOMICS_API_KEY must be the API key from the Blockonomics merchant dashboard' })
  BLOCKONOMICS_API_KEY?: string = undefined;

  @ValidateIf((config: GatewayConfig) => config.BLOCKONOMICS_API_KEY !== undefined || config.BLOCKONOMICS_CALLBACK_SECRET !== undefined)
  @IsDefined({ message: 'BLOCKONOMICS_CALLBACK_SECRET is required when BLOCKONOMICS_API_KEY is set' })
  @Validate(StrongSecret, {
    message: `BLOCKONOMICS_CALLBACK_SECRET must be at least ${MIN_CALLBACK_SECRET_LENGTH} random characters of A-Z, a-z, 0-9, _ or - (e.g. openssl rand -hex 20)`,
  })
  BLOCKONOMICS_CALLBACK_SECRET?: string = undefined;

  @Matches(HTTP_URL, { message: 'BLOCKONOMICS_API_URL must be an http(s) URL' })
  BLOCKONOMICS_API_URL = 'https://www.blockonomics.co';

  @Transform(integer)
  @IsIn([0, 1, 2], { message: 'BLOCKONOMICS_CONFIRMATIONS must be 0, 1 or 2' })
  BLOCKONOMICS_CONFIRMATIONS = 2;

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'BLOCKBEE_API_KEY must be the API key from the BlockBee dashboard' })
  BLOCKBEE_API_KEY?: string = undefined;

  @Matches(HTTP_URL, { message: 'BLOCKBEE_API_URL must be an http(s) URL' })
  BLOCKBEE_API_URL = 'https://api.blockbee.io';

  @IsOptional()
  @Validate(RsaPublicKeyPem, { message: 'BLOCKBEE_PUBLIC_KEY must be an RSA public key in PEM (-----BEGIN PUBLIC KEY----- ...)' })
  BLOCKBEE_PUBLIC_KEY?: string = undefined;

  @IsOptional()
  @Transform(list)
  @Validate(IpOrCidrList, { message: 'BLOCKBEE_ALLOWED_IPS must be comma-separated IP addresses or CIDR ranges (IPv4 prefix ≤ 32, IPv6 ≤ 128)' })
  BLOCKBEE_ALLOWED_IPS?: string[] = undefined;

  @Transform(list)
  @Validate(IpOrCidrList, { message: 'TRUST_PROXY must be comma-separated IP addresses or CIDR ranges of your proxies (IPv4 prefix ≤ 32, IPv6 ≤ 128)' })
  TRUST_PROXY: string[] = [];

  @Transform(integer)
  @IsInt({ message: 'INVOICE_EXPIRY_MINUTES must be a whole number of minutes from 1 to 10080' })
  @Min(1, { message: 'INVOICE_EXPIRY_MINUTES must be a whole number of minutes from 1 to 10080' })
  @Max(10_080, { message: 'INVOICE_EXPIRY_MINUTES must be a whole number of minutes from 1 to 10080' })
  INVOICE_EXPIRY_MINUTES = 15;

  @Matches(/^(?:100(?:\.0{1,6})?|[0-9]{1,2}(?:\.[0-9]{1,6})?)$/, {
    message: 'PAYMENT_TOLERANCE_PERCENT must be a decimal percent from 0 to 100, like "0" or "0.5"',
  })
  PAYMENT_TOLERANCE_PERCENT = '0';

  @Transform(integer)
  @IsInt({ message: 'EXPIRY_SWEEP_SECONDS must be a whole number of seconds from 1 to 3600' })
  @Min(1, { message: 'EXPIRY_SWEEP_SECONDS must be a whole number of seconds from 1 to 3600' })
  @Max(3600, { message: 'EXPIRY_SWEEP_SECONDS must be a whole number of seconds from 1 to 3600' })
  EXPIRY_SWEEP_SECONDS = 10;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';
}
