import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, type ValidationError, validateSync } from 'class-validator';
import { type OptionProblem } from './options-error.js';

export interface OptionsSpec<T extends object> {
  /** What the options configure, for messages ("BlockBee", "PaymentsModule"). */
  readonly subject: string;
  /** A class-validator schema whose messages start with the option's name and never include its value. */
  readonly schema: new () => T;
  /** The error to throw for the problems found, e.g. the module's own `…OptionsError`. */
  readonly error: (problems: readonly OptionProblem[]) => Error;
  /** The options an object must at least have, named when it is not an object at all. */
  readonly required: readonly string[];
}

const VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } };

/**
 * Validates a module's options at start-up against its schema and returns the schema instance;
 * the module then fills in its defaults. Every problem is named with what is expected, unknown
 * keys (typos such as `apikey`) are listed with the known ones, values are never printed. Plain
 * data (nested option objects included, through their `@Type`) is copied into the schema; class
 * instances and functions (a store, a metrics registry, a callback) are kept as given.
 */
export function validateOptions<T extends object>(options: unknown, spec: OptionsSpec<T>): T {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    const expected = spec.required.length > 0 ? `an object with ${spec.required.join(' and ')}` : 'an object of options';
    throw spec.error([{ option: '', message: `expected ${expected}` }]);
  }
  const entries = Object.entries(options as Record<string, unknown>);
  const data = Object.fromEntries(entries.filter(([, value]) => isData(value)));
  const kept = Object.fromEntries(entries.filter(([, value]) => !isData(value)));
  const schema = Object.assign(plainToInstance(spec.schema, data), kept);
  const errors = validateSync(schema, VALIDATION);
  if (errors.length === 0) return schema;
  const problems = errors.flatMap((error) => problemsOf(error, ''));
  const known = knownOptions(spec.schema).join(', ');
  const [unknown, invalid] = partition(problems, (problem) => problem.unknown);
  throw spec.error([
    ...invalid.map(({ option, message }) => ({ option, message })),
    ...unknown.map(({ option, parent }) => ({
      option,
      message: `${option} is not ${article(spec.subject)} ${spec.subject} option${parent ? '' : ` (known: ${known})`}`,
    })),
  ]);
}

type Found = OptionProblem & { readonly unknown: boolean; readonly parent: boolean };

function problemsOf(error: ValidationError, parent: string): Found[] {
  const option = parent ? `${parent}.${error.property}` : error.property;
  const nested = (error.children ?? []).flatMap((child) => problemsOf(child, option));
  if (error.constraints?.['whitelistValidation'] !== undefined) return [{ option, message: '', unknown: true, parent: parent !== '' }, ...nested];
  const messages = [...new Set(Object.values(error.constraints ?? {}))].map((message) => withPath(message, error.property, option));
  return messages.length > 0 ? [{ option, message: messages.join(', '), unknown: false, parent: parent !== '' }, ...nested] : nested;
}

/** A nested schema's message names its own property ("port must …"): it gets the whole path. */
function withPath(message: string, property: string, path: string): string {
  return message.startsWith(`${property} `) ? `${path}${message.slice(property.length)}` : message;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function knownOptions(schema: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))];
}

/** Values class-transformer may copy: anything but class instances and functions. */
function isData(value: unknown): boolean {
  if (typeof value === 'function') return false;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
