/** A wire problem: what is wrong with what the provider sent (a 400 at the adapter boundary). */
export type WireProblem = { readonly ok: false; readonly problem: string };

/**
 * What reading one of a provider's wire shapes gives: the value, or what is wrong with it. Every
 * provider package reads its wire this way, so bad input is a value, never an exception.
 */
export type WireResult<T> = { readonly ok: true; readonly value: T } | WireProblem;

export function wireOk<T>(value: T): WireResult<T> {
  return { ok: true, value };
}

export function wireProblem(text: string): WireProblem {
  return { ok: false, problem: text };
}
