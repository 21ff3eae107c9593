import { StoreUnavailableError, type StoreUnavailableReason } from '../errors.js';

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

/** An outage becomes a {@link StoreUnavailableError}; anything else (a bug, a constraint) stays as it is. */
export function classifyFailure(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
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
