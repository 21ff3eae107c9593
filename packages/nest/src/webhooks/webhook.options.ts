import { IsBoolean, IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { DURATION_RULE } from '../scheduling/duration.js';
import { DEFAULT_RETRY_SCHEDULE, parseRetryWait } from './retry-schedule.js';

/** Outbound webhooks (`PaymentsModuleOptions.webhooks`). */
export interface WebhookOptions {
  /** Waits after each failed attempt, e.g. `['5s', '5m', '30m', '2h', '5h', '10h', '10h']` (units ms, s, m, h, d). */
  readonly retrySchedule?: readonly string[];
  /** Lets endpoints resolve to loopback, private, link-local or multicast addresses (development and tests only). */
  readonly allowPrivateNetworks?: boolean;
  /** Days events, deliveries and attempts are kept once finished (default 30). */
  readonly retentionDays?: number;
  /** Whether this instance delivers (default true); an instance that does not still writes events to the outbox. */
  readonly dispatch?: boolean;
  /** How often the dispatcher looks for due deliveries besides being woken by this instance's commits, ms (default 1 000). */
  readonly pollIntervalMs?: number;
  /** Attempts in flight per endpoint, across instances (default 4). */
  readonly maxInFlightPerEndpoint?: number;
}

export interface ResolvedWebhookOptions {
  readonly retryScheduleMs: readonly number[];
  readonly allowPrivateNetworks: boolean;
  readonly retentionDays: number;
  readonly dispatch: boolean;
  readonly pollIntervalMs: number;
  readonly maxInFlightPerEndpoint: number;
  /** An attempt without a 2xx within this is failed (10 s). */
  readonly timeoutMs: number;
  /** How long a claim holds: longer than an attempt can take. */
  readonly leaseMs: number;
}

export const WEBHOOK_TIMEOUT_MS = 10_000;

function isRetrySchedule(value: unknown): boolean {
  return Array.isArray(value) && value.length <= 20 && value.every((item) => typeof item === 'string' && parseRetryWait(item) !== null);
}

/** Validated as part of the payments module's options. */
export class WebhookOptionsSchema {
  @IsOptional()
  @ValidateBy(
    { name: 'retrySchedule', validator: { validate: isRetrySchedule } },
    { message: `retrySchedule must be a list of durations (at most 20), each ${DURATION_RULE} (at most 7d), like 5s,5m,30m,2h` },
  )
  retrySchedule?: readonly string[];

  @IsOptional()
  @IsBoolean({ message: 'allowPrivateNetworks must be true or false' })
  allowPrivateNetworks?: boolean;

  @IsOptional()
  @IsInt({ message: 'retentionDays must be a whole number of days from 1 to 3650' })
  @Min(1, { message: 'retentionDays must be a whole number of days from 1 to 3650' })
  @Max(3650, { message: 'retentionDays must be a whole number of days from 1 to 3650' })
  retentionDays?: number;

  @IsOptional()
  @IsBoolean({ message: 'dispatch must be true or false' })
  dispatch?: boolean;

  @IsOptional()
  @IsInt({ message: 'pollIntervalMs must be a whole number of milliseconds from 10 to 60000' })
  @Min(10, { message: 'pollIntervalMs must be a whole number of milliseconds from 10 to 60000' })
  @Max(60_000, { message: 'pollIntervalMs must be a whole number of milliseconds from 10 to 60000' })
  pollIntervalMs?: number;

  @IsOptional()
  @IsInt({ message: 'maxInFlightPerEndpoint must be a whole number from 1 to 32' })
  @Min(1, { message: 'maxInFlightPerEndpoint must be a whole number from 1 to 32' })
  @Max(32, { message: 'maxInFlightPerEndpoint must be a whole number from 1 to 32' })
  maxInFlightPerEndpoint?: number;
}

export function resolveWebhookOptions(options: WebhookOptions | undefined): ResolvedWebhookOptions {
  const schedule = options?.retrySchedule ?? DEFAULT_RETRY_SCHEDULE;
  return {
    retryScheduleMs: schedule.map((item) => parseRetryWait(item) as number),
    allowPrivateNetworks: options?.allowPrivateNetworks ?? false,
    retentionDays: options?.retentionDays ?? 30,
    dispatch: options?.dispatch ?? true,
    pollIntervalMs: options?.pollIntervalMs ?? 1_000,
    maxInFlightPerEndpoint: options?.maxInFlightPerEndpoint ?? 4,
    timeoutMs: WEBHOOK_TIMEOUT_MS,
    leaseMs: WEBHOOK_TIMEOUT_MS + 5_000,
  };
}
