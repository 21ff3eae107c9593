import { type CompiledQuery } from 'kysely';
import pg from 'pg';

/** Leads the text of a statement to prepare; PostgreSQL reads it as a comment. */
const MARK = '/* prepared */ ';
/** Each pooled connection keeps every statement it prepared: only a fixed, small set is ever marked. */
const MAX_PREPARED = 64;

/**
 * Marks a statement the store runs on every callback or read to be prepared once per connection:
 * PostgreSQL then skips parsing and planning it on every later run, which was half of its cost.
 * Only statements whose text is fixed (parameters aside) may be marked.
 */
export function prepared<R>(query: CompiledQuery<R>): CompiledQuery<R> {
  return { ...query, sql: MARK + query.sql };
}

/**
 * A node-postgres client class that runs marked statements as named (prepared) statements: the
 * first run on a connection parses and plans it, later runs only bind and execute. Names are
 * shared by the pool's connections, one per text.
 */
export function preparingClient(): typeof pg.Client {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    if (!text.startsWith(MARK)) return undefined;
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) {
      name = `cryptopay_${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };
  const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
  const PreparingClient = class extends pg.Client {};
  // Replaces node-postgres' overloaded `query` with one that passes every form on, naming marked texts.
  Object.defineProperty(PreparingClient.prototype, 'query', {
    value(this: pg.Client, config: unknown, values?: unknown, callback?: unknown): unknown {
      const name = typeof config === 'string' && Array.isArray(values) ? nameOf(config) : undefined;
      return name === undefined ? query.call(this, config, values, callback) : query.call(this, { name, text: config, values }, callback);
    },
  });
  return PreparingClient;
}
