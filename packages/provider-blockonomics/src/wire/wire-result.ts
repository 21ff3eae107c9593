/** What reading one wire shape gives: the value, or what is wrong with it (no exceptions for bad input). */
export type WireResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };
