import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, type ValidationError, validateSync } from 'class-validator';

export interface ProviderOptionsSpec<T extends object> {
  /** The provider's display name, for messages ("Blockonomics"). */
  readonly provider: string;
  /** A class-validator schema whose messages never include the value (options hold secrets). */
  readonly schema: new () => T;
  /** The error to throw, e.g. the provider's own `…OptionsError`. */
  readonly error: new (message: string) => Error;
  /** The options an object must at least have, named when it is not an object at all. */
  readonly required: readonly string[];
}

/**
 * Validates a provider module's options at start-up: each problem named with what is expected,
 * unknown keys (typos such as `apikey`) listed with the known ones, values never printed.
 */
export function validateProviderOptions<T extends object>(options: unknown, spec: ProviderOptionsSpec<T>): T {
  const prefix = `Invalid ${spec.provider} options`;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new spec.error(`${prefix}: expected an object with ${spec.required.join(' and ')}`);
  }
  const schema = plainToInstance(spec.schema, options);
  const errors = validateSync(schema, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  if (errors.length === 0) return schema;
  const known = knownOptions(spec.schema);
  const [unknown, invalid] = partition(errors, (error) => error.constraints?.whitelistValidation !== undefined);
  const problems = [
    ...invalid.map(describeInvalid),
    ...unknown.map((error) => `${error.property} is not a ${spec.provider} option (known: ${known.join(', ')})`),
  ];
  throw new spec.error(`${prefix}: ${problems.join('; ')}`);
}

function knownOptions(schema: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))];
}

function describeInvalid(error: ValidationError): string {
  const messages = [...new Set(Object.values(error.constraints ?? {}))];
  return messages.length > 0 ? messages.join(', ') : `${error.property} is invalid`;
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
