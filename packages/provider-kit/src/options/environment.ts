import { type ProviderSetting } from '../contract/registration.js';
import { type OptionProblem, OptionsError } from './options-error.js';

/** Variables by name: `process.env`, or an app's settings read from elsewhere. */
export type Environment = Readonly<Record<string, string | undefined>>;

export interface EnvironmentOptionsSpec<Options> {
  /** The registration's settings: the option each variable sets, and which of them enable the provider. */
  readonly settings: readonly ProviderSetting[];
  /** How an option not given as plain text is read from its variable's text, e.g. {@link commaSeparated}. */
  readonly read?: Readonly<Record<string, (text: string) => unknown>>;
  /** Options the app gives from its own settings (the trusted proxies). */
  readonly supplied?: Readonly<Record<string, unknown>>;
  /**
   * The environment's own rules beyond the module's, on the options given: a placeholder key, a
   * setting required with another. An option refused here is not also refused by the module's rule.
   */
  readonly check?: (given: Readonly<Record<string, unknown>>) => readonly OptionProblem[];
  /** The module's own validation: its resolved options, or its `OptionsError`. */
  readonly validate: (options: unknown) => Options;
  /** The module's `OptionsError` for the problems found. */
  readonly error: (problems: readonly OptionProblem[]) => OptionsError;
}

/**
 * A provider's module options from the environment, as its registration's `fromEnvironment` returns
 * them: each variable given (trimmed; empty counts as unset) set as its option, then validated by the
 * module's own rules. Null when no setting that enables the provider is given — but the settings given
 * are checked all the same, so a mistyped one is found before the day it is needed. Problems are
 * named by option; the app names them by their variables.
 */
export function optionsFromEnvironment<Options>(env: Environment, spec: EnvironmentOptionsSpec<Options>): Options | null {
  const given = givenOptions(env, spec);
  const enabled = spec.settings.some((setting) => setting.enables === true && setting.option in given);
  const own = spec.check?.(given) ?? [];
  const result = attempt(() => spec.validate({ ...spec.supplied, ...given }));
  // Not enabled, what the provider would need is not missing: only the options given must be right.
  // An option the environment's rules refused already is not refused twice.
  const refused = 'problems' in result ? result.problems.filter((problem) => (enabled || rootOf(problem.option) in given) && !own.some(({ option }) => option === problem.option)) : [];
  const problems = [...own, ...refused];
  if (problems.length > 0) throw spec.error(problems);
  return enabled && 'options' in result ? result.options : null;
}

/** A comma-separated variable as a list: items trimmed, empty ones dropped (`"a, b,"` → `["a", "b"]`). */
export function commaSeparated(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Digits as a number; anything else stays text, for the module's rule to refuse by name. */
export function wholeNumber(text: string): number | string {
  return /^[0-9]{1,15}$/.test(text) ? Number.parseInt(text, 10) : text;
}

function givenOptions(env: Environment, { settings, read = {} }: Pick<EnvironmentOptionsSpec<unknown>, 'settings' | 'read'>): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const { variable, option } of settings) {
    const text = env[variable]?.trim();
    const parse = read[option];
    if (text) given[option] = parse ? parse(text) : text;
  }
  return given;
}

function attempt<Options>(validate: () => Options): { readonly options: Options } | { readonly problems: readonly OptionProblem[] } {
  try {
    return { options: validate() };
  } catch (error) {
    if (error instanceof OptionsError) return { problems: error.problems };
    throw error;
  }
}

/** `allowlist` of `allowlist`, `retry` of `retry.attempts`. */
function rootOf(option: string): string {
  return option.split('.')[0] ?? option;
}
