import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

const integer = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^-?[0-9]+$/.test(value) ? Number(value) : value);

function wholeSeconds(variable: string, min: number, max: number): PropertyDecorator {
  const message = `${variable} must be a whole number of seconds from ${min} to ${max}`;
  const decorators = [Transform(integer), IsInt({ message }), Min(min, { message }), Max(max, { message })];
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

/** The defaults the Kubernetes example (deploy/kubernetes/) is checked against. */
export const DEPLOYMENT_DEFAULTS = {
  SHUTDOWN_DELAY_SECONDS: 5,
  SHUTDOWN_TIMEOUT_SECONDS: 20,
  KEEP_ALIVE_TIMEOUT_SECONDS: 65,
} as const;

/**
 * How the gateway runs in a deployment: its database pool and pooler, whether it migrates at
 * start-up, and its rolling-restart timings (docs/operations.md, "Rollout"). The base of
 * `GatewayConfig`, so every variable is listed and validated with the others.
 */
export class DeploymentConfig {
  @IsOptional()
  @Transform(integer)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be a whole number from 1 to 1000' })
  DATABASE_POOL_SIZE?: number = undefined;

  @IsOptional()
  @IsIn(['none', 'transaction'], { message: 'DATABASE_POOLER must be none or transaction (PgBouncer in transaction mode)' })
  DATABASE_POOLER?: 'none' | 'transaction' = undefined;

  /** `false`: the schema is migrated by `cryptopay migrate` before the rollout, and instances need no DDL rights. */
  @IsIn(['true', 'false'], { message: 'MIGRATE_ON_START must be true or false' })
  MIGRATE_ON_START: 'true' | 'false' = 'true';

  /** After SIGTERM, readiness answers 503 this long before the listener closes, so load balancers stop sending. */
  @wholeSeconds('SHUTDOWN_DELAY_SECONDS', 0, 300)
  SHUTDOWN_DELAY_SECONDS: number = DEPLOYMENT_DEFAULTS.SHUTDOWN_DELAY_SECONDS;

  /** Then in-flight requests have this long to finish before the process exits anyway (exit 1). */
  @wholeSeconds('SHUTDOWN_TIMEOUT_SECONDS', 1, 600)
  SHUTDOWN_TIMEOUT_SECONDS: number = DEPLOYMENT_DEFAULTS.SHUTDOWN_TIMEOUT_SECONDS;

  /** How long an idle keep-alive connection stays open: longer than the load balancer's idle timeout. */
  @wholeSeconds('KEEP_ALIVE_TIMEOUT_SECONDS', 1, 3600)
  KEEP_ALIVE_TIMEOUT_SECONDS: number = DEPLOYMENT_DEFAULTS.KEEP_ALIVE_TIMEOUT_SECONDS;
}
