import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * `line`: an identifier or reference (an order id, a filter): no control character at all.
 * `multiline`: free text (a metadata value): tab, line feed and carriage return are allowed.
 */
export type TextKind = 'line' | 'multiline';

/** Tab, line feed, carriage return: the only control characters free text may hold. */
const LINE_BREAKS_AND_TAB = new Set([0x09, 0x0a, 0x0d]);
/** With the `u` flag a surrogate pair is one code point, so only a lone surrogate matches. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why a string cannot be kept as it is, or null when it can. PostgreSQL refuses a NUL in text and
 * jsonb; a lone surrogate would be silently rewritten to U+FFFD on the way to the database; other
 * control characters have no place in an identifier.
 */
export function textProblem(value: string, kind: TextKind = 'line'): string | null {
  if (value.includes('\u0000')) return 'must not contain a NUL character (\\u0000)';
  if (hasControlCharacter(value, kind)) return kind === 'line' ? 'must not contain control characters' : 'must not contain control characters other than tab and line breaks';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (it contains a lone surrogate)';
  return null;
}

function hasControlCharacter(value: string, kind: TextKind): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 && !(kind === 'multiline' && LINE_BREAKS_AND_TAB.has(code))) return true;
  }
  return false;
}

/** A string property must pass {@link textProblem}; the message names the property, never the value. */
export function IsStorableText(kind: TextKind = 'line', options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isStorableText',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || textProblem(value, kind) === null,
        defaultMessage: (args) => `${args?.property ?? 'value'} ${typeof args?.value === 'string' ? textProblem(args.value, kind) : 'must be text'}`,
      },
    });
}
