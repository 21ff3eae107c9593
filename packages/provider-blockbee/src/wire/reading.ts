import { type ExactJson, JsonSyntaxError, parseJsonExact } from '@cryptopay/provider-kit';

export type WireProblem = { readonly ok: false; readonly problem: string };

/** What reading a provider's text yields: the value, or what is wrong with the text (never an exception). */
export type WireResult<T> = { readonly ok: true; readonly value: T } | WireProblem;

export function ok<T>(value: T): WireResult<T> {
  return { ok: true, value };
}

export function problem(text: string): WireProblem {
  return { ok: false, problem: text };
}

/** Exact JSON (numbers kept as their source text, duplicate keys refused), or why the text is not JSON. */
export function readJson(text: string): WireResult<ExactJson> {
  try {
    return ok(parseJsonExact(text));
  } catch (error) {
    if (error instanceof JsonSyntaxError) return problem(`not valid JSON: ${error.message}`);
    throw error;
  }
}
