import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { DEFAULT_RECONCILE_SCHEDULE, parseReconcileSchedule, RECONCILE_SCHEDULE_RULE, type ReconcileSchedule } from './reconcile-schedule.js';

/** How the reconciler asks providers about invoices whose callbacks may not have got through. */
export interface ReconciliationOptions {
  /** When each invoice is reconciled, after its creation (default `2m,5m,15m,1h,6h`; the last step repeats until the monitoring window ends). */
  readonly schedule?: string;
  /** How often each instance looks for due invoices, in milliseconds (default 15 s); 0 disables the scheduled reconciler (the API route still works). */
  readonly intervalMs?: number;
  /** Invoices claimed per batch (default 20). */
  readonly batchSize?: number;
  /** How long a claimed invoice is held before another instance may claim it again (default 5 min). */
  readonly leaseMs?: number;
  /** After a retryable provider failure (down, rate limit), when to try again (default 1 min; a provider's Retry-After wins). */
  readonly retryAfterMs?: number;
  /** How soon after a database or Redis outage ends, or a callback is refused, the invoices concerned are reconciled (default 30 s). */
  readonly soonMs?: number;
}

export interface ResolvedReconciliationOptions extends Required<Omit<ReconciliationOptions, 'schedule'>> {
  readonly schedule: ReconcileSchedule;
}

export const RECONCILIATION_DEFAULTS = {
  schedule: DEFAULT_RECONCILE_SCHEDULE,
  intervalMs: 15_000,
  batchSize: 20,
  leaseMs: 5 * 60_000,
  retryAfterMs: 60_000,
  soonMs: 30_000,
} as const;

const MAX_TIMER_MS = 2_147_483_647;

function WholeNumber(min: number, max: number, message: string): PropertyDecorator {
  return (target, property) => [IsInt({ message }), Min(min, { message }), Max(max, { message })].forEach((decorate) => decorate(target, property));
}

/** The schema of {@link ReconciliationOptions}, nested under `reconciliation` in the module's options. */
export class ReconciliationSchema {
  @IsOptional()
  @ValidateBy(
    { name: 'reconcileSchedule', validator: { validate: (value: unknown) => typeof value === 'string' && parseReconcileSchedule(value) !== null } },
    { message: `reconciliation.schedule must be ${RECONCILE_SCHEDULE_RULE}` },
  )
  schedule?: string;

  @IsOptional()
  @WholeNumber(0, MAX_TIMER_MS, `reconciliation.intervalMs must be a whole number of milliseconds ≥ 0 (0 disables the scheduled reconciler), at most ${MAX_TIMER_MS}`)
  intervalMs?: number;

  @IsOptional()
  @WholeNumber(1, 1_000, 'reconciliation.batchSize must be a whole number from 1 to 1000')
  batchSize?: number;

  @IsOptional()
  @WholeNumber(1_000, MAX_TIMER_MS, `reconciliation.leaseMs must be a whole number of milliseconds from 1000 to ${MAX_TIMER_MS}`)
  leaseMs?: number;

  @IsOptional()
  @WholeNumber(0, MAX_TIMER_MS, `reconciliation.retryAfterMs must be a whole number of milliseconds from 0 to ${MAX_TIMER_MS}`)
  retryAfterMs?: number;

  @IsOptional()
  @WholeNumber(0, MAX_TIMER_MS, `reconciliation.soonMs must be a whole number of milliseconds from 0 to ${MAX_TIMER_MS}`)
  soonMs?: number;
}

/** The validated options with every default filled in. */
export function resolveReconciliationOptions(given: ReconciliationSchema | undefined): ResolvedReconciliationOptions {
  const defaults = RECONCILIATION_DEFAULTS;
  return {
    schedule: parseReconcileSchedule(given?.schedule ?? defaults.schedule) ?? [],
    intervalMs: given?.intervalMs ?? defaults.intervalMs,
    batchSize: given?.batchSize ?? defaults.batchSize,
    leaseMs: given?.leaseMs ?? defaults.leaseMs,
    retryAfterMs: given?.retryAfterMs ?? defaults.retryAfterMs,
    soonMs: given?.soonMs ?? defaults.soonMs,
  };
}
