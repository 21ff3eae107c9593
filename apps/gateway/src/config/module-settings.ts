import { type IdempotencyModuleOptions, resolveIdempotencyOptions } from '@cryptopay/idempotency';
import { type PaymentsModuleOptions, validatePaymentsOptions } from '@cryptopay/nest';
import { type OptionProblem, OptionsError } from '@cryptopay/provider-kit/options';
import { resolveStoreOptions, type StoreOptions } from '@cryptopay/store';
import { type GatewayConfig } from './gateway-config.js';
import { WEBHOOK_SETTINGS } from './webhook-settings.js';

/** The options the environment gives each module; what it does not give, the module's defaults decide. */
export interface ModuleOptionsFromEnvironment {
  readonly store: StoreOptions;
  readonly idempotency: IdempotencyModuleOptions;
  /** Without the store, metrics and coins, which the gateway composes. */
  readonly payments: Partial<PaymentsModuleOptions>;
}

type ModuleName = keyof ModuleOptionsFromEnvironment;
type Variable = keyof GatewayConfig & string;

/** One environment variable and the module option it sets (a path). */
export interface VariableOption {
  readonly variable: string;
  readonly option: string;
}

/** A variable of the core modules, and how its value becomes its option's. */
export interface Setting extends VariableOption {
  readonly variable: Variable;
  readonly module: ModuleName;
  readonly toOption?: (value: never) => unknown;
}

const SECONDS = (value: number): number => value * 1_000;

/**
 * Every variable that sets an option of a core module. The gateway's own settings (PORT, DATA_DIR's
 * sandbox file, LOG_LEVEL) are not here, nor the providers': their registrations map their own
 * (`provider-settings.ts`).
 */
const SETTINGS: readonly Setting[] = [
  { variable: 'DATABASE_URL', module: 'store', option: 'databaseUrl' },
  { variable: 'DATA_DIR', module: 'store', option: 'dataDir' },
  { variable: 'DATABASE_SCHEMA', module: 'store', option: 'schema' },
  { variable: 'DATABASE_PREPARED_STATEMENTS', module: 'store', option: 'preparedStatements', toOption: (value: string) => value === 'true' },
  { variable: 'DATABASE_POOL_SIZE', module: 'store', option: 'poolSize' },
  { variable: 'DATABASE_POOLER', module: 'store', option: 'pooler' },
  { variable: 'REDIS_URL', module: 'idempotency', option: 'redisUrl' },
  { variable: 'IDEMPOTENCY_KEY_PREFIX', module: 'idempotency', option: 'keyPrefix' },
  { variable: 'IDEMPOTENCY_LEASE_SECONDS', module: 'idempotency', option: 'leaseMs', toOption: SECONDS },
  { variable: 'IDEMPOTENCY_RESULT_TTL_HOURS', module: 'idempotency', option: 'resultTtlMs', toOption: (hours: number) => hours * 3_600_000 },
  { variable: 'IDEMPOTENCY_RETRY_MARGIN_MINUTES', module: 'idempotency', option: 'retryWindowMarginMs', toOption: (minutes: number) => minutes * 60_000 },
  { variable: 'IDEMPOTENCY_RECENT_OUTCOMES', module: 'idempotency', option: 'recentOutcomes' },
  { variable: 'PUBLIC_URL', module: 'payments', option: 'publicUrl' },
  { variable: 'API_TOKENS', module: 'payments', option: 'apiTokens' },
  { variable: 'TRUST_PROXY', module: 'payments', option: 'trustedProxies' },
  { variable: 'INVOICE_EXPIRY_MINUTES', module: 'payments', option: 'policies.expiryMinutes' },
  { variable: 'PAYMENT_TOLERANCE_PERCENT', module: 'payments', option: 'policies.tolerancePercent' },
  { variable: 'EXPIRY_SWEEP_SECONDS', module: 'payments', option: 'sweepIntervalMs', toOption: SECONDS },
  { variable: 'DELIVERY_LOG_RETENTION_DAYS', module: 'payments', option: 'deliveryLog.retentionDays' },
  { variable: 'RECONCILE_SCHEDULE', module: 'payments', option: 'reconciliation.schedule' },
  { variable: 'RECONCILE_INTERVAL_SECONDS', module: 'payments', option: 'reconciliation.intervalMs', toOption: SECONDS },
  { variable: 'CREDENTIALS_KEYS', module: 'payments', option: 'merchants.credentialKeys' },
  ...WEBHOOK_SETTINGS,
];

/** The module options the variables set (unset variables set nothing). */
export function moduleOptionsOf(config: GatewayConfig): ModuleOptionsFromEnvironment {
  const modules: Record<ModuleName, Record<string, unknown>> = {
    store: {},
    idempotency: { store: config.REDIS_URL === undefined ? 'memory' : 'redis' },
    payments: {},
  };
  for (const { variable, module, option, toOption } of SETTINGS) {
    const value = config[variable];
    if (isGiven(value)) setPath(modules[module], option, toOption ? toOption(value as never) : value);
  }
  return modules as unknown as ModuleOptionsFromEnvironment;
}

const VALIDATORS: Readonly<Record<ModuleName, (options: never) => unknown>> = {
  store: resolveStoreOptions,
  idempotency: resolveIdempotencyOptions,
  payments: validatePaymentsOptions,
};

/**
 * Runs each module's own validation on the options the environment gives it, and names each
 * problem by its variable ("TRUST_PROXY must be …"). Only problems with options a variable set are
 * told: what is missing is the gateway's rule (`gateway-config.ts`), and what the gateway itself
 * supplies (the store, metrics) is checked when the module starts.
 */
export function moduleProblems(config: GatewayConfig): SettingProblem[] {
  const modules = moduleOptionsOf(config);
  return (Object.keys(VALIDATORS) as ModuleName[]).flatMap((module) => {
    const settings = SETTINGS.filter((setting) => setting.module === module);
    const given = problemsOf(() => VALIDATORS[module](modules[module] as never)).filter((problem) =>
      settings.some(({ option, variable }) => option === problem.option && isGiven(config[variable])),
    );
    return given.flatMap((problem) => inVariables(problem, settings) ?? []);
  });
}

/** What is wrong with one variable. */
export interface SettingProblem {
  readonly variable: string;
  readonly message: string;
}

function problemsOf(validate: () => unknown): readonly OptionProblem[] {
  try {
    validate();
    return [];
  } catch (error) {
    if (error instanceof OptionsError) return error.problems;
    throw error;
  }
}

/**
 * A module's problem told of the environment: under the variable that set its option, with every
 * option of `settings` its message names replaced by its variable; a list, as a variable writes it,
 * comma-separated. Null when no variable sets the option.
 */
export function inVariables(problem: OptionProblem, settings: readonly VariableOption[]): SettingProblem | null {
  const setting = settings.find((each) => each.option === problem.option);
  if (!setting) return null;
  let message = problem.message;
  for (const { option, variable } of settings) {
    message = message.replace(new RegExp(`(?<![\\w.])${option.replaceAll('.', '\\.')}(?![\\w.])`, 'g'), variable);
  }
  return { variable: setting.variable, message: message.replace(/\ba (?:non-empty )?list of\b/, 'comma-separated') };
}

/** Unset, or a list of nothing (`API_TOKENS=" , "`). */
function isGiven(value: unknown): boolean {
  return value !== undefined && !(Array.isArray(value) && value.length === 0);
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head = '', ...rest] = path.split('.');
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = (target[head] ??= {}) as Record<string, unknown>;
  setPath(child, rest.join('.'), value);
}
