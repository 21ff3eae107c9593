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
