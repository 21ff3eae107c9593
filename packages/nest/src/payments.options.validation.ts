// class-transformer's @Type reads decorator metadata: loaded here, whichever module an app imports first.
import 'reflect-metadata';
import { CoinRegistry, invoicePolicy } from '@cryptopay/invoice';
import { IsHttpUrl, IsIpOrCidrList, type OptionProblem, OptionsError, validateOptions } from '@cryptopay/provider-kit/options';
import { Type } from 'class-transformer';
import { IsDefined, IsInstance, IsInt, IsObject, IsOptional, Max, Min, ValidateBy, ValidateNested } from 'class-validator';
import { IsInvoicePolicyField, isAcceptableApiToken, MIN_API_TOKEN_LENGTH } from './config/option-rules.js';
import { PaymentsMetrics } from './observability/payments-metrics.js';
import {
  DEFAULT_SWEEP_INTERVAL_MS,
  DELIVERY_LOG_DEFAULTS,
  MAX_DELIVERY_LOG_BATCH,
  type PaymentsModuleOptions,
  type ResolvedMerchantsOptions,
  type ResolvedPaymentsOptions,
} from './payments.options.js';
import { ReconciliationSchema, resolveReconciliationOptions } from './reconciliation/reconciliation.options.js';
import { isPaymentsStore } from './store/payments-store.js';
import { resolveMerchantsOptions } from './merchants/merchants-options.js';
import { resolveWebhookOptions, WebhookOptionsSchema } from './webhooks/webhook.options.js';

/** `PaymentsModule` options are unusable: names each option and what is expected, never a value (tokens are secrets). */
export class PaymentsConfigError extends OptionsError {
  override readonly name = 'PaymentsConfigError';

  constructor(problems: readonly OptionProblem[]) {
    super('PaymentsModule', problems);
  }
}

const MAX_TIMER_MS = 2_147_483_647;

/** A whole number from `min` to `max`, with one message for every way of missing it. */
function WholeNumber(min: number, max: number, message: string): PropertyDecorator {
  return (target, property) => [IsInt({ message }), Min(min, { message }), Max(max, { message })].forEach((decorate) => decorate(target, property));
}

class DeliveryLogSchema {
  @IsOptional()
  @WholeNumber(1, MAX_DELIVERY_LOG_BATCH, `batchSize must be a whole number from 1 to ${MAX_DELIVERY_LOG_BATCH}`)
  batchSize?: number;

  @IsOptional()
  @WholeNumber(1, MAX_TIMER_MS, `flushIntervalMs must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}`)
  flushIntervalMs?: number;

  @IsOptional()
  @WholeNumber(1, Number.MAX_SAFE_INTEGER, 'maxQueued must be a whole number ≥ 1')
  maxQueued?: number;

  @IsOptional()
  @WholeNumber(0, MAX_TIMER_MS, `duplicateIntervalMs must be a whole number of milliseconds ≥ 0 (0 logs every duplicate), at most ${MAX_TIMER_MS}`)
  duplicateIntervalMs?: number;

  @IsOptional()
  @WholeNumber(1, 1_000_000, 'refusalsPerSource must be a whole number from 1 to 1000000')
  refusalsPerSource?: number;

  @IsOptional()
  @WholeNumber(1_000, MAX_TIMER_MS, `refusalIntervalMs must be a whole number of milliseconds from 1000 to ${MAX_TIMER_MS}`)
  refusalIntervalMs?: number;

  @IsOptional()
  @WholeNumber(0, 36_500, 'deliveryLog.retentionDays must be a whole number of days from 0 (keep forever) to 36500')
  retentionDays?: number;

  @IsOptional()
  @WholeNumber(1_000, MAX_TIMER_MS, `pruneIntervalMs must be a whole number of milliseconds from 1000 to ${MAX_TIMER_MS}`)
  pruneIntervalMs?: number;
}

/** Each field held to the invoice package's rule; unset ones keep the defaults. */
class PoliciesSchema {
  @IsOptional()
  @IsInvoicePolicyField('expiryMinutes')
  expiryMinutes?: number;

  @IsOptional()
  @IsInvoicePolicyField('monitoringMinutes')
  monitoringMinutes?: number;

  @IsOptional()
  @IsInvoicePolicyField('tolerancePercent')
  tolerancePercent?: string;

  @IsOptional()
  @IsInvoicePolicyField('allowTestPayments')
  allowTestPayments?: boolean;
}

/** The schema of {@link PaymentsModuleOptions}; messages name the option and never hold its value. */
class PaymentsOptionsSchema {
  @IsDefined({ message: 'publicUrl is required: the externally reachable http(s) base URL, like https://pay.example.com' })
  @IsHttpUrl({ message: 'publicUrl must be the externally reachable http(s) base URL without query, like https://pay.example.com' })
  publicUrl!: string;

  @ValidateBy(
    { name: 'paymentsStore', validator: { validate: isPaymentsStore } },
    { message: 'store must be a Store of @cryptopay/store (createStore(...)) or another PaymentsStore' },
  )
  store!: ResolvedPaymentsOptions['store'];

  /** Duck-typed: the app may hold its own copy of the invoice package. */
  @IsOptional()
  @ValidateBy(
    { name: 'coinRegistry', validator: { validate: (value: unknown) => typeof (value as { get?: unknown } | null)?.get === 'function' } },
    { message: 'coins must be a CoinRegistry from @cryptopay/invoice' },
  )
  coins?: CoinRegistry;

  @IsOptional()
  @IsInstance(PaymentsMetrics, { message: 'metrics must be a PaymentsMetrics from @cryptopay/nest' })
  metrics?: PaymentsMetrics;

  @ValidateBy(
    { name: 'apiTokens', validator: { validate: (value: unknown) => Array.isArray(value) && value.length > 0 && value.every(isAcceptableApiToken) } },
    { message: `apiTokens must be a non-empty list of tokens of at least ${MIN_API_TOKEN_LENGTH} random characters each, visible ASCII without spaces or control characters (make one with openssl rand -hex 32)` },
  )
  apiTokens!: readonly string[];

  @IsOptional()
  @IsObject({ message: 'policies must be an object of invoice policy fields' })
  @ValidateNested()
  @Type(() => PoliciesSchema)
  policies?: PoliciesSchema;

  @IsOptional()
  @IsIpOrCidrList({ message: 'trustedProxies must be a list of IP addresses or CIDR ranges (IPv4 prefix ≤ 32, IPv6 ≤ 128)' })
  trustedProxies?: readonly string[];

  @IsOptional()
  @WholeNumber(0, MAX_TIMER_MS, `sweepIntervalMs must be a whole number of milliseconds ≥ 0 (0 disables the sweep), at most ${MAX_TIMER_MS}`)
  sweepIntervalMs?: number;

  @IsOptional()
  @IsObject({ message: 'deliveryLog must be an object of batchSize, flushIntervalMs, maxQueued, duplicateIntervalMs, refusalsPerSource, refusalIntervalMs, retentionDays and pruneIntervalMs' })
  @ValidateNested()
  @Type(() => DeliveryLogSchema)
  deliveryLog?: DeliveryLogSchema;

  @IsOptional()
  @IsObject({ message: 'reconciliation must be an object of schedule, intervalMs, batchSize, leaseMs, retryAfterMs and soonMs' })
  @ValidateNested()
  @Type(() => ReconciliationSchema)
  reconciliation?: ReconciliationSchema;

  @IsOptional()
  @IsObject({ message: 'webhooks must be an object of retrySchedule, allowPrivateNetworks, retentionDays, dispatch, pollIntervalMs and maxInFlightPerEndpoint' })
  @ValidateNested()
  @Type(() => WebhookOptionsSchema)
  webhooks?: WebhookOptionsSchema;
}

/**
 * Checks the options once, when the module's options provider is built, and fills in the defaults:
 * a wrong option stops start-up with a {@link PaymentsConfigError} naming each problem, instead of
 * failing later deep in a service (or not at all: a negative sweep interval just never swept).
 * The store, coins and metrics stay the instances given.
 */
export function validatePaymentsOptions(options: PaymentsModuleOptions): ResolvedPaymentsOptions {
  // Checked apart: its factories are objects of functions, which the schema would copy as data. Its
  // problems are told with the others, so each setting's problem is found whatever else is wrong.
  const { merchants, ...rest } = (options ?? {}) as PaymentsModuleOptions;
  const merchantsResult = attemptMerchants(merchants);
  let valid: PaymentsOptionsSchema;
  try {
    valid = validateOptions(options === null || typeof options !== 'object' ? options : rest, {
      subject: 'PaymentsModule',
      schema: PaymentsOptionsSchema,
      error: (problems) => new PaymentsConfigError(problems),
      required: ['publicUrl', 'store', 'apiTokens'],
    });
  } catch (error) {
    if (error instanceof PaymentsConfigError && 'problems' in merchantsResult) throw new PaymentsConfigError([...error.problems, ...merchantsResult.problems]);
    throw error;
  }
  if ('problems' in merchantsResult) throw new PaymentsConfigError(merchantsResult.problems);
  const log = withoutUnset(valid.deliveryLog);
  return {
    publicUrl: valid.publicUrl,
    store: valid.store,
    apiTokens: valid.apiTokens,
    coins: valid.coins ?? new CoinRegistry(),
    metrics: valid.metrics ?? new PaymentsMetrics(),
    policies: invoicePolicy(withoutUnset(valid.policies)),
    trustedProxies: valid.trustedProxies ?? [],
    sweepIntervalMs: valid.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS,
    deliveryLog: { ...DELIVERY_LOG_DEFAULTS, ...log },
    reconciliation: resolveReconciliationOptions(valid.reconciliation),
    merchants: merchantsResult.resolved,
    webhooks: resolveWebhookOptions(valid.webhooks),
  };
}

function attemptMerchants(merchants: PaymentsModuleOptions['merchants']): { readonly resolved: ResolvedMerchantsOptions } | { readonly problems: readonly OptionProblem[] } {
  try {
    return { resolved: resolveMerchantsOptions(merchants) };
  } catch (error) {
    if (error instanceof PaymentsConfigError) return { problems: error.problems };
    throw error;
  }
}

/** A schema instance lists every field, unset ones as undefined, which would override the defaults. */
function withoutUnset<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, field]) => field !== undefined)) as Partial<T>;
}
