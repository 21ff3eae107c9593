import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsIP, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { DeploymentConfig } from './deployment-config.js';
import { type SettingProblem } from './module-settings.js';
import { type GatewayMode } from './gateway-mode.js';
import { type ConfiguredProvider } from './provider-settings.js';

const list = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter((item) => item.length > 0) : value;
const integer = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^-?[0-9]+$/.test(value) ? Number(value) : value);

/**
 * Every setting of the gateway but the providers', read from the environment (and an optional file);
 * see docs/configuration.md. Each is initialized (unset ones to undefined), so the class lists them all.
 *
 * The rules here are the gateway's own: how a variable is written (a number, a comma-separated list,
 * true or false, seconds), which ones live mode needs ({@link liveModeProblems}), and the gateway's
 * own settings. What a value must be for a module is that module's rule: `module-settings.ts` maps
 * each variable to its module option, and the module's validation runs on it (`load-config.ts`). The
 * providers' variables are their registrations' (`provider-settings.ts`).
 */
export class GatewayConfig extends DeploymentConfig {
  @IsOptional()
  @IsIn(['sandbox', 'live'], { message: 'MODE must be sandbox or live' })
  MODE?: 'sandbox' | 'live' = undefined;

  /** Unset: 0.0.0.0 in live mode, 127.0.0.1 in sandbox mode (`listenHost`). */
  @IsOptional()
  @IsIP(undefined, { message: 'HOST must be an IP address to listen on, like 0.0.0.0, 127.0.0.1 or ::' })
  HOST?: string = undefined;

  @Transform(integer)
  @IsInt({ message: 'PORT must be a whole number from 0 to 65535' })
  @Min(0, { message: 'PORT must be a whole number from 0 to 65535' })
  @Max(65_535, { message: 'PORT must be a whole number from 0 to 65535' })
  PORT = 3000;

  /** A second listener for `/health*`, `/metrics` and `/docs*`, which PORT then no longer serves; unset: PORT serves them. */
  @IsOptional()
  @Transform(integer)
  @IsInt({ message: 'ADMIN_PORT must be a whole number from 0 to 65535, other than PORT' })
  @Min(0, { message: 'ADMIN_PORT must be a whole number from 0 to 65535, other than PORT' })
  @Max(65_535, { message: 'ADMIN_PORT must be a whole number from 0 to 65535, other than PORT' })
  ADMIN_PORT?: number = undefined;

  /** Where ADMIN_PORT listens; unset: 127.0.0.1, only this host (`GatewaySettings.admin`). */
  @IsOptional()
  @IsIP(undefined, { message: 'ADMIN_HOST must be an IP address to listen on, like 127.0.0.1 or 0.0.0.0' })
  ADMIN_HOST?: string = undefined;

  PUBLIC_URL?: string = undefined;

  @Transform(list)
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

  @IsOptional()
  @Transform(integer)
  @IsInt({ message: 'IDEMPOTENCY_RETRY_MARGIN_MINUTES must be a whole number of minutes from 0 to 10080' })
  @Min(0, { message: 'IDEMPOTENCY_RETRY_MARGIN_MINUTES must be a whole number of minutes from 0 to 10080' })
  @Max(10_080, { message: 'IDEMPOTENCY_RETRY_MARGIN_MINUTES must be a whole number of minutes from 0 to 10080' })
  IDEMPOTENCY_RETRY_MARGIN_MINUTES?: number = undefined;

  @Transform(integer)
  IDEMPOTENCY_RECENT_OUTCOMES?: number = undefined;

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

  @Transform(integer)
  DELIVERY_LOG_RETENTION_DAYS?: number = undefined;

  /** Serves the OpenAPI document (`/docs`, `/docs-json`); unset: in sandbox mode only. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'API_DOCS must be true or false' })
  API_DOCS?: 'true' | 'false' = undefined;

  /** When set, `/metrics` answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  @IsOptional()
  @Matches(/^[\x21-\x7e]{32,}$/, { message: 'METRICS_TOKEN must be at least 32 visible ASCII characters without spaces (make one with openssl rand -hex 32)' })
  METRICS_TOKEN?: string = undefined;

  /** Reconciliation (issue 20): when invoices are reconciled after creation, e.g. 2m,5m,15m,1h,6h; checked by the payments module. */
  RECONCILE_SCHEDULE?: string = undefined;

  @IsOptional()
  @Transform(integer)
  @IsInt({ message: 'RECONCILE_INTERVAL_SECONDS must be a whole number of seconds from 0 (off) to 3600' })
  @Min(0, { message: 'RECONCILE_INTERVAL_SECONDS must be a whole number of seconds from 0 (off) to 3600' })
  @Max(3600, { message: 'RECONCILE_INTERVAL_SECONDS must be a whole number of seconds from 0 (off) to 3600' })
  RECONCILE_INTERVAL_SECONDS?: number = undefined;

  /**
   * Merchants (docs/merchants.md): key-encryption keys for merchants' credentials, `kid:base64-of-32-bytes`,
   * comma-separated, the first encrypting; a secret. Sandbox mode generates one.
   */
  CREDENTIALS_KEYS?: string = undefined;

  @Transform(list)
  WEBHOOK_RETRY_SCHEDULE?: string[] = undefined;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_NETWORKS?: 'true' | 'false' = undefined;

  @Transform(integer)
  WEBHOOK_RETENTION_DAYS?: number = undefined;

  @IsOptional()
  @IsIn(['true', 'false'], { message: 'WEBHOOK_DISPATCH must be true or false' })
  WEBHOOK_DISPATCH?: 'true' | 'false' = undefined;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  /**
   * Not a variable (so left uninitialized, and not listed): the providers the environment enables,
   * each with its module options, by their registrations; set by the loader. None: sandbox mode.
   */
  declare readonly providers: readonly ConfiguredProvider[];

  /** Not a variable either: `MODE`, or what the settings imply (`gateway-mode.ts`); set by the loader. */
  declare readonly mode: GatewayMode;
}

/** What live mode needs of the gateway's own settings. */
export function liveModeProblems(config: GatewayConfig, live: boolean): SettingProblem[] {
  if (!live) return [];
  return [
    ...(config.PUBLIC_URL === undefined ? [{ variable: 'PUBLIC_URL', message: 'PUBLIC_URL is required when a provider API key is set: the URL providers call back' }] : []),
    ...(config.API_TOKENS.length === 0 ? [{ variable: 'API_TOKENS', message: 'API_TOKENS is required when a provider API key is set (sandbox mode generates one)' }] : []),
  ];
}
