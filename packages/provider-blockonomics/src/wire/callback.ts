import { parseQueryString, type QueryParameter, type RawCallback, valuesOf } from '@cryptopay/provider-kit';
import { type WireResult } from '@cryptopay/provider-kit';

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

const REQUIRED_PARAMS = ['status', 'addr', 'value', 'txid'] as const;
const OPTIONAL_PARAMS = ['rbf', 'crypto'] as const;

/** The callback's query string, decoded into its parameters in order. */
export function readCallbackQuery(callback: RawCallback): WireResult<QueryParameter[]> {
  const query = parseQueryString(callback.target);
  return query.ok ? { ok: true, value: query.parameters } : query;
}

/**
 * Reads a callback's parameters strictly: a GET, each known parameter at most once, the required
 * ones present. Values are not interpreted here (see the mapping); unknown parameters — the
 * merchant's own, or ones Blockonomics adds later — are ignored.
 */
export function readCallbackParams(callback: RawCallback): WireResult<BlockonomicsCallbackParams> {
  if (callback.method !== 'GET') return { ok: false, problem: `Blockonomics callbacks are GET requests, not ${callback.method.slice(0, 10)}` };
  const query = readCallbackQuery(callback);
  if (!query.ok) return query;
  const found: Record<string, string | undefined> = {};
  for (const name of [...REQUIRED_PARAMS, ...OPTIONAL_PARAMS]) {
    const result = singleValue(query.value, name);
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
