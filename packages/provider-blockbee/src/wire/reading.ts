import { type ExactJson, JsonSyntaxError, parseJsonExact, type WireResult, wireOk as ok, wireProblem as problem } from '@cryptopay/provider-kit';

/** Exact JSON (numbers kept as their source text, duplicate keys refused), or why the text is not JSON. */
export function readJson(text: string): WireResult<ExactJson> {
  try {
    return ok(parseJsonExact(text));
  } catch (error) {
    if (error instanceof JsonSyntaxError) return problem(`not valid JSON: ${error.message}`);
    throw error;
  }
}
