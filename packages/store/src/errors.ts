import { type OptionProblem, OptionsError } from '@cryptopay/provider-kit/options';

// The failures of the store port, defined beside it so an app can recognise them without loading a store.
export { StoreUnavailableError, type StoreUnavailableReason, DuplicatePaymentError, StoreQueryError } from '@cryptopay/invoice';

/** The store's options are unusable; the message names each option and never echoes a value (a URL holds a password). */
export class StoreConfigError extends OptionsError {
  override readonly name = 'StoreConfigError';
  /** The first option named. */
  readonly option: string;

  constructor(problems: readonly OptionProblem[]) {
    super('store', problems);
    this.option = problems[0]?.option ?? '';
  }
}

/** A server setting the store's sessions do not hold, and the value they hold instead. */
export interface SessionSettingMismatch {
  readonly name: string;
  readonly expected: string;
  readonly actual: string;
}

/**
 * The database sessions do not hold the settings the store relies on (its timeouts, its schema):
 * typically a connection pooler dropped the start-up parameters. The message names each setting
 * and how to make it hold.
 */
export class StoreSessionError extends Error {
  override readonly name = 'StoreSessionError';

  constructor(
    readonly mismatches: readonly SessionSettingMismatch[],
    pooler: 'none' | 'transaction',
  ) {
    const listed = mismatches.map(({ name, expected, actual }) => `${name} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`).join('; ');
    const fix = mismatches.map(({ name, expected }) => `${name} = '${expected}'`).join(', ');
    const how =
      pooler === 'transaction'
        ? `behind a transaction-mode pooler, set them as the role's defaults on the server: ALTER ROLE <role> IN DATABASE <database> SET ${fix}`
        : 'a pooler dropped the start-up parameters (PgBouncer ignore_startup_parameters?): set DATABASE_POOLER=transaction and the role defaults, or connect directly';
    super(`the database sessions do not hold the store's settings: ${listed}; ${how} (see docs/operations.md, PgBouncer)`);
  }
}
