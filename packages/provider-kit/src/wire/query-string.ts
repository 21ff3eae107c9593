/** One query parameter or form field as sent: decoded name and value. */
export interface QueryParameter {
  readonly name: string;
  readonly value: string;
}

export type QueryParseResult = { readonly ok: true; readonly parameters: QueryParameter[] } | { readonly ok: false; readonly problem: string };

/**
 * Splits a raw request target's query string into decoded parameters, in order, keeping
 * repetitions (so the caller can refuse them). `+` is a space, as in HTML forms and curl.
 */
export function parseQueryString(target: string): QueryParseResult {
  const queryIndex = target.indexOf('?');
  return parseFormText(queryIndex === -1 ? '' : target.slice(queryIndex + 1).split('#')[0] ?? '');
}

/** The same for a form body (`application/x-www-form-urlencoded`), already decoded from UTF-8. */
export function parseFormText(query: string): QueryParseResult {
  const parameters: QueryParameter[] = [];
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const name = decode(rawName);
    const value = decode(rawValue);
    if (name === null || value === null) return { ok: false, problem: `query parameter ${JSON.stringify(rawName.slice(0, 40))} is not valid percent-encoding` };
    parameters.push({ name, value });
  }
  return { ok: true, parameters };
}

/** Addresses, txids, amounts and secrets are sent as they are: only text with `%` or `+` needs decoding. */
const ENCODED = /[%+]/;

function decode(text: string): string | null {
  if (!ENCODED.test(text)) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** All values of one parameter. */
export function valuesOf(parameters: readonly QueryParameter[], name: string): string[] {
  return parameters.filter((parameter) => parameter.name === name).map((parameter) => parameter.value);
}
