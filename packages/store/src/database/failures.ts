import { StoreQueryError, StoreUnavailableError, type StoreUnavailableReason } from '../errors.js';

/** Socket errors: the server cannot be reached or went away. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** SQLSTATEs that mean "try again later", not "your query is wrong". */
function reasonForSqlState(code: string): StoreUnavailableReason | null {
  if (code.startsWith('08')) return 'terminated'; // connection exception
  if (code === '57P01' || code === '57P02' || code === '57P03') return 'shutdown'; // admin/crash shutdown, starting up
  if (code.startsWith('53')) return 'overloaded'; // insufficient resources: too many connections, disk full
  if (code === '57014' || code === '55P03' || code === '25P03') return 'timeout'; // statement, lock, idle-in-transaction
  if (code === '40001' || code === '40P01') return 'contention'; // serialization failure, deadlock
  return null;
}

/** Driver messages without a code (node-postgres, pg-pool, PGlite). */
const MESSAGES: ReadonlyArray<readonly [RegExp, StoreUnavailableReason]> = [
  [/timeout exceeded when trying to connect|connection timeout|Query read timeout/i, 'timeout'],
  [/Connection terminated|not queryable/i, 'terminated'],
  [/after calling end on the pool|PGlite is closed|driver has already been destroyed/i, 'closed'],
];

interface ErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly errors?: unknown;
  readonly cause?: unknown;
}

/** Duck-typed: socket errors come from Node's own realm, where `instanceof Error` can be false. */
function reasonFor(error: unknown, depth = 0): StoreUnavailableReason | null {
  if (typeof error !== 'object' || error === null || depth > 4) return null;
  const { code, message, errors, cause } = error as ErrorLike;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return 'unreachable';
    const reason = reasonForSqlState(code);
    if (reason) return reason;
  }
  const text = typeof message === 'string' ? message : '';
  const known = MESSAGES.find(([pattern]) => pattern.test(text));
  if (known) return known[1];
  if (Array.isArray(errors)) return errors.map((inner) => reasonFor(inner, depth + 1)).find((reason) => reason !== null) ?? null;
  return reasonFor(cause, depth + 1);
}

/**
 * Text PostgreSQL refuses: a NUL character in text (22021, "invalid byte sequence for encoding UTF8:
 * 0x00") or in jsonb (22P05, "unsupported Unicode escape sequence"). The caller's input, not an outage.
 */
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

/**
 * An outage becomes a {@link StoreUnavailableError}; text the database cannot store a
 * {@link StoreQueryError} (a 400 for an API caller, the last line behind its input validation);
 * anything else (a bug, a constraint) stays as it is.
 */
export function classifyFailure(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || error instanceof StoreQueryError) return error;
  const code = typeof error === 'object' && error !== null ? (error as ErrorLike).code : undefined;
  if (typeof code === 'string' && UNSTORABLE_TEXT.has(code)) {
    return new StoreQueryError('text', 'a text value holds a character the database cannot store (NUL, or invalid UTF-8)', { cause: error });
  }
  const reason = reasonFor(error);
  return reason ? new StoreUnavailableError(reason, { cause: error }) : error;
}

/** Runs one store operation, turning an outage into a typed {@link StoreUnavailableError}. */
export async function guard<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw classifyFailure(error);
  }
}
