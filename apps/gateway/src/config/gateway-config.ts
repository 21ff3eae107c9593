import { Transform } from 'class-transformer';
import { ArrayNotEmpty, IsDefined, IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength, ValidateIf } from 'class-validator';

const list = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter((item) => item.length > 0) : value;
const integer = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^-?[0-9]+$/.test(value) ? Number(value) : value);

/** Live mode: a provider API key is set (otherwise the gateway runs in sandbox mode). */
export function isLive(config: Pick<GatewayConfig, 'BLOCKONOMICS_API_KEY' | 'BLOCKBEE_API_KEY'>): boolean {
  return config.BLOCKONOMICS_API_KEY !== undefined || config.BLOCKBEE_API_KEY !== undefined;
}

/**
 * Every setting of the gateway, read from the environment (and an optional file); see
 * docs/configuration.md. Each is initialized (unset ones to undefined), so the class lists them all.
 *
 * The rules here are the gateway's own: how a variable is written (a number, a comma-separated list,
 * true or false, seconds), which ones live mode needs, and the gateway's own settings. What a value
 * must be for a module is that module's rule: `module-settings.ts` maps each variable to its
 * module option, and the module's validation runs on it (`load-config.ts`).
 */
export class GatewayConfig {
  @Transform(integer)
  @IsInt({ message: 'PORT must be a whole number from 0 to 65535' })
  @Min(0, { message: 'PORT must be a whole number from 0 to 65535' })
  @Max(65_535, { message: 'PORT must be a whole number from 0 to 65535' })
  PORT = 3000;

  @ValidateIf((config: GatewayConfig) => config.PUBLIC_URL === undefined && isLive(config))
  @IsDefined({ message: 'PUBLIC_URL is required when a provider API key is set: the URL providers call back' })
  PUBLIC_URL?: string = undefined;

  @Transform(list)
  @ValidateIf((config: GatewayConfig) => isLive(config))
  @ArrayNotEmpty({ message: 'API_TOKENS is required when a provider API key is set (sandbox mode generates one)' })
  API_TOKENS: string[] = [];

  DATABASE_URL?: string = undefined;

  DATABASE_SCHEMA?: string = undefined;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'DATABASE_PREPARED_STATEMENTS must be true or false' })
  DATABASE_PREPARED_STATEMENTS?: 'true' | 'false' = undefined;

  /** The embedded database's files without DATABASE_URL, and the sandbox's `sandbox.json`. */
  @IsString()
  @MinLength(1, { message: 'DATA_DIR must be a directory path' })
  DATA_DIR = './.data';

  REDIS_URL?: string = undefined;

  IDEMPOTENCY_KEY_PREFIX?: string = undefined;

  @IsOptional()
  @Transform(integer)
  @IsInt({ message: 'IDEMPOTENCY_LEASE_SECONDS must be a whole number of seconds from 2 to 3600' })
  @Min(2, { message: 'IDEMPOTENCY_LEASE_SECONDS must be a whole number of seconds from 2 to 3600' })
  @Max(3600, { message: 'IDEMPOTENCY_LEASE_SECONDS must be a whole number of seconds from 2 to 3600' })
  IDEMPOTENCY_LEASE_SECONDS?: number = undefined;

  @IsOptional()
  @Transform(integer)
  @IsInt({ message: 'IDEMPOTENCY_RESULT_TTL_HOURS must be a whole number of hours from 1 to 8760' })
  @Min(1, { message: 'IDEMPOTENCY_RESULT_TTL_HOURS must be a whole number of hours from 1 to 8760' })
  @Max(8760, { message: 'IDEMPOTENCY_RESULT_TTL_HOURS must be a whole number of hours from 1 to 8760' })
  IDEMPOTENCY_RESULT_TTL_HOURS?: number = undefined;

  @Transform(integer)
  IDEMPOTENCY_RECENT_OUTCOMES?: number = undefined;

  /** Never that short when copied from a dashboard: a shorter one is a placeholder or a typo. */
  @IsOptional()
  @MinLength(8, { message: 'BLOCKONOMICS_API_KEY must be the API key from the Blockonomics merchant dashboard' })
  BLOCKONOMICS_API_KEY?: string = undefined;

  @ValidateIf((config: GatewayConfig) => config.BLOCKONOMICS_API_KEY !== undefined && config.BLOCKONOMICS_CALLBACK_SECRET === undefined)
  @IsDefined({ message: 'BLOCKONOMICS_CALLBACK_SECRET is required when BLOCKONOMICS_API_KEY is set' })
  BLOCKONOMICS_CALLBACK_SECRET?: string = undefined;

  BLOCKONOMICS_API_URL?: string = undefined;

  @Transform(integer)
  BLOCKONOMICS_CONFIRMATIONS?: number = undefined;

  @IsOptional()
  @MinLength(8, { message: 'BLOCKBEE_API_KEY must be the API key from the BlockBee dashboard' })
  BLOCKBEE_API_KEY?: string = undefined;

  BLOCKBEE_API_URL?: string = undefined;

  BLOCKBEE_PUBLIC_KEY?: string = undefined;

  @Transform(list)
  BLOCKBEE_ALLOWED_IPS?: string[] = undefined;

  @Transform(list)
  TRUST_PROXY?: string[] = undefined;

  @Transform(integer)
  INVOICE_EXPIRY_MINUTES?: number = undefined;

  PAYMENT_TOLERANCE_PERCENT?: string = undefined;

  @IsOptional()
  @Transform(integer)
  @IsInt({ message: 'EXPIRY_SWEEP_SECONDS must be a whole number of seconds from 1 to 3600' })
  @Min(1, { message: 'EXPIRY_SWEEP_SECONDS must be a whole number of seconds from 1 to 3600' })
  @Max(3600, { message: 'EXPIRY_SWEEP_SECONDS must be a whole number of seconds from 1 to 3600' })
  EXPIRY_SWEEP_SECONDS?: number = undefined;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';
}
