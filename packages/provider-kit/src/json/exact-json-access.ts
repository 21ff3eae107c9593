import { type ExactJson, type ExactJsonObject, JsonNumber } from './exact-json.js';

/** Reading fields out of parsed JSON without trusting their types. Each returns `undefined` on a type mismatch. */
export function asJsonObject(value: ExactJson | undefined): ExactJsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof JsonNumber)
    ? value
    : undefined;
}

/** The own property `key`, never one inherited from `Object.prototype`. */
export function jsonField(object: ExactJsonObject, key: string): ExactJson | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

export function jsonString(value: ExactJson | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The exact source text of a JSON number ("0.05"), for the invoice package's decimal parsers. */
export function jsonNumberText(value: ExactJson | undefined): string | undefined {
  return value instanceof JsonNumber ? value.source : undefined;
}

/**
 * The decimal text of a value providers send either as a JSON number (`0.05`) or as a string
 * (`"0.05"`, GET/form mode): one accessor for both encodings.
 */
export function jsonDecimalText(value: ExactJson | undefined): string | undefined {
  return jsonNumberText(value) ?? jsonString(value);
}
