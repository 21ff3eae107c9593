import { valuesOf, type QueryParameter } from '@cryptopay/provider-kit';

/** The HTTP callback's query parameters, as strings exactly as sent (GET, appended to the store's callback URL). */
export interface BlockonomicsCallbackParams {
  /** `-1` reverted/dropped, `0` unconfirmed, `1` one confirmation, `2` two or more (final). */
  readonly status: string;
  readonly addr: string;
  /** Base units this txid paid to this addr. */
  readonly value: string;
  readonly txid: string;
  /** Present on unconfirmed transactions signalling Replace-By-Fee: `1` opt-in, `2` inherited. */
  readonly rbf: string | undefined;
  /** Seen in real callbacks (`BTC`, `BCH`, `USDT`) but not documented: optional. */
  readonly crypto: string | undefined;
}

export const REQUIRED_PARAMS = ['status', 'addr', 'value', 'txid'] as const;
const OPTIONAL_PARAMS = ['rbf', 'crypto'] as const;

export type WireResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/**
 * Reads the callback's parameters (its query string, parsed) strictly: each known one at most once, the required ones
 * present. Values are not interpreted here (see the mapping); unknown parameters — the
 * merchant's own, or ones Blockonomics adds later — are ignored.
 */
export function readCallbackParams(parameters: readonly QueryParameter[]): WireResult<BlockonomicsCallbackParams> {
  const single = (name: string): WireResult<string | undefined> => singleValue(parameters, name);
  const found: Record<string, string | undefined> = {};
  for (const name of [...REQUIRED_PARAMS, ...OPTIONAL_PARAMS]) {
    const result = single(name);
    if (!result.ok) return result;
    found[name] = result.value;
  }
  const missing = REQUIRED_PARAMS.filter((name) => found[name] === undefined);
  if (missing.length > 0) return { ok: false, problem: `missing query parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
  return {
    ok: true,
    value: {
      status: found.status as string,
      addr: found.addr as string,
      value: found.value as string,
      txid: found.txid as string,
      rbf: found.rbf,
      crypto: found.crypto,
    },
  };
}

/** The one value of a parameter that may appear at most once (a repeated one is ambiguous). */
export function singleValue(parameters: readonly QueryParameter[], name: string): WireResult<string | undefined> {
  const values = valuesOf(parameters, name);
  if (values.length > 1) return { ok: false, problem: `query parameter ${name} appears ${values.length} times; it must appear once` };
  return { ok: true, value: values[0] };
}
