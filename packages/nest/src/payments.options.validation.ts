import { invoicePolicy } from '@cryptopay/invoice';
import { MAX_RECORD_BATCH } from '@cryptopay/store';
import { plainToInstance } from 'class-transformer';
import {
  IsArray,
  IsDefined,
  IsInstance,
  IsInt,
  IsObject,
  IsOptional,
  Matches,
  Max,
  Min,
  Validate,
  ValidateNested,
  type ValidationError,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
  validateSync,
} from 'class-validator';
import { isAcceptableApiToken, isIpOrCidr, MIN_API_TOKEN_LENGTH } from './config/option-rules.js';
import { PaymentsMetrics } from './observability/payments-metrics.js';
import { type PaymentsModuleOptions } from './payments.options.js';

/** `PaymentsModule` options are unusable: names each option and what is expected, never a value (tokens are secrets). */
export class PaymentsConfigError extends Error {
  override readonly name = 'PaymentsConfigError';
}

const HTTP_URL = /^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/;
const MAX_TIMER_MS = 2_147_483_647;

@ValidatorConstraint({ name: 'apiTokens' })
class ApiTokens implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && value.length > 0 && value.every(isAcceptableApiToken);
  }
}

@ValidatorConstraint({ name: 'ipOrCidrList' })
class IpOrCidrList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && value.every(isIpOrCidr);
  }
}

/** Duck-typed: the app may hold its own copy of the store package. */
@ValidatorConstraint({ name: 'store' })
class StoreLike implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    const store = value as { transaction?: unknown; invoices?: unknown; deliveries?: unknown } | null;
    return typeof store?.transaction === 'function' && typeof store.invoices === 'object' && typeof store.deliveries === 'object';
  }
}

@ValidatorConstraint({ name: 'coins' })
class CoinRegistryLike implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof (value as { get?: unknown } | null)?.get === 'function';
  }
}

/** The invoice package checks a policy; its message names the rule broken. */
@ValidatorConstraint({ name: 'policies' })
class InvoicePolicies implements ValidatorConstraintInterface {
  private problem = '';

  validate(value: unknown): boolean {
    try {
      invoicePolicy(value as Parameters<typeof invoicePolicy>[0]);
      return true;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : 'invalid';
      return false;
    }
  }

  defaultMessage(): string {
    return `policies: ${this.problem}`;
  }
}

class DeliveryLogSchema {
  @IsOptional()
  @IsInt({ message: `deliveryLog.batchSize must be a whole number from 1 to ${MAX_RECORD_BATCH}` })
  @Min(1, { message: `deliveryLog.batchSize must be a whole number from 1 to ${MAX_RECORD_BATCH}` })
  @Max(MAX_RECORD_BATCH, { message: `deliveryLog.batchSize must be a whole number from 1 to ${MAX_RECORD_BATCH}` })
  batchSize?: number;

  @IsOptional()
  @IsInt({ message: 'deliveryLog.flushIntervalMs must be a whole number of milliseconds ≥ 1' })
  @Min(1, { message: 'deliveryLog.flushIntervalMs must be a whole number of milliseconds ≥ 1' })
  @Max(MAX_TIMER_MS, { message: `deliveryLog.flushIntervalMs must be at most ${MAX_TIMER_MS}` })
  flushIntervalMs?: number;

  @IsOptional()
  @IsInt({ message: 'deliveryLog.maxQueued must be a whole number ≥ 1' })
  @Min(1, { message: 'deliveryLog.maxQueued must be a whole number ≥ 1' })
  maxQueued?: number;

  @IsOptional()
  @IsInt({ message: 'deliveryLog.duplicateIntervalMs must be a whole number of milliseconds ≥ 0 (0 logs every duplicate)' })
  @Min(0, { message: 'deliveryLog.duplicateIntervalMs must be a whole number of milliseconds ≥ 0 (0 logs every duplicate)' })
  @Max(MAX_TIMER_MS, { message: `deliveryLog.duplicateIntervalMs must be at most ${MAX_TIMER_MS}` })
  duplicateIntervalMs?: number;
}

/** The schema of {@link PaymentsModuleOptions}; messages name the option and never hold its value. */
class PaymentsOptionsSchema {
  @IsDefined({ message: 'publicUrl is required: the externally reachable http(s) base URL, like https://pay.example.com' })
  @Matches(HTTP_URL, { message: 'publicUrl must be the externally reachable http(s) base URL without query, like https://pay.example.com' })
  publicUrl!: string;

  @Validate(StoreLike, { message: 'store must be a Store from @cryptopay/store (createStore(...))' })
  store!: unknown;

  @IsOptional()
  @Validate(CoinRegistryLike, { message: 'coins must be a CoinRegistry from @cryptopay/invoice' })
  coins?: unknown;

  @IsOptional()
  @IsInstance(PaymentsMetrics, { message: 'metrics must be a PaymentsMetrics from @cryptopay/nest' })
  metrics?: unknown;

  @Validate(ApiTokens, {
    message: `apiTokens must be a non-empty list of tokens of at least ${MIN_API_TOKEN_LENGTH} visible ASCII characters each (no spaces or control characters)`,
  })
  apiTokens!: unknown;

  @IsOptional()
  @IsObject({ message: 'policies must be an object of invoice policy fields' })
  @Validate(InvoicePolicies)
  policies?: unknown;

  @IsOptional()
  @IsArray({ message: 'trustedProxies must be a list of IP addresses or CIDR ranges' })
  @Validate(IpOrCidrList, { message: 'trustedProxies must be a list of IP addresses or CIDR ranges (IPv4 prefix ≤ 32, IPv6 ≤ 128)' })
  trustedProxies?: unknown;

  @IsOptional()
  @IsInt({ message: 'sweepIntervalMs must be a whole number of milliseconds ≥ 0 (0 disables the sweep)' })
  @Min(0, { message: 'sweepIntervalMs must be a whole number of milliseconds ≥ 0 (0 disables the sweep)' })
  @Max(MAX_TIMER_MS, { message: `sweepIntervalMs must be at most ${MAX_TIMER_MS} milliseconds` })
  sweepIntervalMs?: number;

  @IsOptional()
  @IsObject({ message: 'deliveryLog must be an object of batchSize, flushIntervalMs, maxQueued and duplicateIntervalMs' })
  @ValidateNested()
  deliveryLog?: DeliveryLogSchema;
}

/**
 * Checks the options once, when the module's options provider is built: a wrong one stops start-up
 * with a {@link PaymentsConfigError} naming each problem, instead of failing later deep in a service
 * (or not at all: a negative sweep interval just never swept). Returns the options as given.
 */
export function validatePaymentsOptions(options: PaymentsModuleOptions): PaymentsModuleOptions {
  if (typeof options !== 'object' || options === null) throw new PaymentsConfigError('Invalid PaymentsModule options: expected an object with publicUrl, store and apiTokens');
  // Copied shallowly, never transformed: the store and the metrics must stay the instances given.
  const schema = Object.assign(new PaymentsOptionsSchema(), options);
  if (isPlainObject(options.deliveryLog)) schema.deliveryLog = plainToInstance(DeliveryLogSchema, options.deliveryLog);
  const errors = validateSync(schema, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  if (errors.length > 0) throw new PaymentsConfigError(`Invalid PaymentsModule options: ${errors.flatMap(problemsOf).join('; ')}`);
  return options;
}

function problemsOf(error: ValidationError): string[] {
  if (error.constraints?.['whitelistValidation'] !== undefined) return [`${error.property} is not a PaymentsModule option`];
  return [...new Set(Object.values(error.constraints ?? {})), ...(error.children ?? []).flatMap(problemsOf)];
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
