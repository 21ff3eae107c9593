/** One unusable option: its path (`deliveryLog.batchSize`) and a message that starts with it. */
export interface OptionProblem {
  /** The option's path in the options object; '' when the options are not an object at all. */
  readonly option: string;
  /** What is expected, starting with the path; never the value (options hold secrets). */
  readonly message: string;
}

/**
 * A module's options are unusable: raised at start-up, naming each problem. The problems are kept
 * apart, so an app that reads its settings from elsewhere (the environment) can name its own
 * setting instead of the option.
 */
export class OptionsError extends Error {
  constructor(
    /** What the options configure ("BlockBee", "PaymentsModule"). */
    readonly subject: string,
    readonly problems: readonly OptionProblem[],
  ) {
    super(`Invalid ${subject} options: ${problems.map((problem) => problem.message).join('; ')}`);
  }
}
