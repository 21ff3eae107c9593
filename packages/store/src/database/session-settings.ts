import { type Kysely, sql } from 'kysely';
import { type ResolvedStoreOptions } from '../options.js';
import { type StoreDatabase } from './schema.js';

/**
 * How often a server session polls its client's socket while it runs a statement (PostgreSQL 14+).
 * A write is one statement, committed on its own: when the instance that sent it dies while it
 * waits on a row lock, the server must abandon it rather than commit a change no one will answer
 * for or publish.
 */
export const CLIENT_CHECK_MS = 1_000;

/** A server setting every store session must hold, as `pg_settings.setting` reads it (ms for times). */
export interface SessionSetting {
  readonly name: string;
  readonly expected: string;
}

/** The settings the store's bounded waits and schema rely on; without them a callback can outlive its answer. */
export function sessionSettings(settings: ResolvedStoreOptions, statementTimeoutMs = settings.statementTimeoutMs): SessionSetting[] {
  return [
    { name: 'statement_timeout', expected: String(statementTimeoutMs) },
    { name: 'idle_in_transaction_session_timeout', expected: String(settings.idleInTransactionTimeoutMs) },
    { name: 'client_connection_check_interval', expected: String(CLIENT_CHECK_MS) },
    { name: 'search_path', expected: settings.schema },
  ];
}

/** The start-up parameters that give a direct connection those settings. */
export function startupParameters(settings: ResolvedStoreOptions, statementTimeoutMs: number) {
  return {
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
    options: `-c search_path=${settings.schema} -c client_connection_check_interval=${CLIENT_CHECK_MS}`,
  };
}

/** One setting a session does not hold, and what it holds instead. */
export interface SessionMismatch extends SessionSetting {
  readonly actual: string;
}

/** Reads the settings back on a pooled session; what differs (an empty list when all hold). */
export async function sessionMismatches(db: Kysely<StoreDatabase>, wanted: readonly SessionSetting[]): Promise<SessionMismatch[]> {
  const { rows } = await sql<{ name: string; setting: string }>`
    select name, setting from pg_settings where name in (${sql.join(wanted.map(({ name }) => name))})`.execute(db);
  const actual = new Map(rows.map((row) => [row.name, row.setting]));
  return wanted
    .filter(({ name }) => actual.has(name)) // client_connection_check_interval is PostgreSQL 14+
    .map((setting) => ({ ...setting, actual: actual.get(setting.name) ?? '' }))
    .filter((setting) => !holds(setting));
}

function holds({ name, expected, actual }: SessionMismatch): boolean {
  return name === 'search_path' ? firstSchema(actual) === expected : actual === expected;
}

/** The schema unqualified names resolve to first; `"$user"` counts only when the role has that schema, which the store never creates. */
function firstSchema(searchPath: string): string {
  const entries = searchPath.split(',').map((entry) => entry.trim().replace(/^"(.*)"$/, '$1'));
  return entries.find((entry) => entry !== '$user' && entry !== '') ?? '';
}
