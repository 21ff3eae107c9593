import { parse, type ParseOptions } from 'lossless-json';

/**
 * A JSON number kept as its exact source text ("0.05", "64123.45", "1e-8"), so amounts never pass
 * through a binary float. Convert it with the invoice package's exact parsers.
 */
export class JsonNumber {
  constructor(readonly source: string) {}

  toString(): string {
    return this.source;
  }

  toJSON(): string {
    return this.source;
  }
}

export type ExactJson = null | boolean | string | JsonNumber | ExactJson[] | ExactJsonObject;
export interface ExactJsonObject {
  readonly [key: string]: ExactJson;
}

/**
 * The text is not JSON we accept. `position` is the offset where reading stopped; the message
 * names it, except for nesting too deep, which is found on the value read (position 0).
 */
export class JsonSyntaxError extends SyntaxError {
  override readonly name = 'JsonSyntaxError';

  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/** Numbers as their source text; a key repeated with another value refused (a repeat of the same value means nothing new). */
const EXACT: ParseOptions = {
  parseNumber: (source) => new JsonNumber(source),
  onDuplicateKey: ({ key, position }) => {
    throw new JsonSyntaxError(`duplicate property ${JSON.stringify(key)} at position ${position}`, position);
  },
};
const MAX_DEPTH = 64;
const TOO_DEEP = `nesting deeper than ${MAX_DEPTH} levels`;
const AT_POSITION = / at position (\d+)$/;
// eslint-disable-next-line no-control-regex -- the raw control characters lossless-json quotes in its messages
const CONTROL = /[\u0000-\u001f]/g;

/**
 * Parses JSON (RFC 8259), keeping every number as a {@link JsonNumber}. Stricter than `JSON.parse`
 * where leniency is risky for payments: a key repeated in one object with another value is an error
 * (which one would a provider mean?), and objects and arrays nest at most 64 levels, so that nothing
 * walking the value recursively can exhaust the stack. A `__proto__` key is kept as an own property,
 * never as a prototype.
 *
 * Read by `JSON.parse`, its reviver taking each number's source text (`context.source`); that reviver
 * cannot see a repeated key, which `JSON.parse` collapses, so the keys written in the text are counted
 * against the keys read. Text that `JSON.parse` refuses, or whose keys do not add up, is read again by
 * `lossless-json`, which refuses a repeat with another value where it is and says where a syntax
 * error is. A webhook is read four times faster than by `lossless-json` alone (docs/benchmarks.md).
 */
export function parseJsonExact(text: string): ExactJson {
  let value: ExactJson;
  try {
    value = JSON.parse(text, keepNumberSource) as ExactJson;
  } catch {
    return parseLossless(text);
  }
  const read = keysReadWithin(value, MAX_DEPTH);
  if (read === null) throw new JsonSyntaxError(TOO_DEEP, 0);
  return read === keysWritten(text) ? value : parseLossless(text);
}

function parseLossless(text: string): ExactJson {
  let value: ExactJson;
  try {
    value = parse(text, null, EXACT) as ExactJson;
  } catch (error) {
    throw asJsonSyntaxError(error);
  }
  if (keysReadWithin(value, MAX_DEPTH) === null) throw new JsonSyntaxError(TOO_DEEP, 0);
  return value;
}

/** The reviver's view of a primitive: its source text (Node ≥ 22). */
interface ReviverContext {
  readonly source?: string;
}

/**
 * A number becomes its source text; the float `JSON.parse` made of it is dropped unread. Without a
 * source (a runtime older than Node 22) it throws, and the text is read by `lossless-json` instead.
 */
function keepNumberSource(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value !== 'number') return value;
  if (context?.source === undefined) throw new TypeError('JSON.parse gave no number source');
  return new JsonNumber(context.source);
}

/**
 * Every string token of valid JSON, in order (outside strings, valid JSON has no quote); a key is one
 * followed by a colon, which no string value can be.
 */
const STRING_TOKEN = /"(?:[^"\\]|\\.)*"(\s*:)?/g;

/** How many keys the text writes, repeats included. Only for text `JSON.parse` accepted. */
function keysWritten(text: string): number {
  let keys = 0;
  for (const token of text.matchAll(STRING_TOKEN)) if (token[1] !== undefined) keys++;
  return keys;
}

function asJsonSyntaxError(error: unknown): unknown {
  if (error instanceof JsonSyntaxError) return error;
  // The parser recurses once per level: only nesting far deeper than we accept exhausts the stack.
  if (error instanceof RangeError) return new JsonSyntaxError(TOO_DEEP, 0);
  if (!(error instanceof SyntaxError)) return error;
  const message = error.message.replace(CONTROL, (char) => JSON.stringify(char).slice(1, -1));
  return new JsonSyntaxError(message, Number.parseInt(AT_POSITION.exec(message)?.[1] ?? '0', 10));
}

/**
 * How many keys the objects of the value hold in all, or null when an object or array sits deeper
 * than `limit` levels (the outermost is level 1); walks level by level, without recursion.
 */
function keysReadWithin(value: ExactJson, limit: number): number | null {
  let keys = 0;
  let containers = isContainer(value) ? [value] : [];
  for (let level = 1; containers.length > 0; level++) {
    if (level > limit) return null;
    const next: (ExactJson[] | ExactJsonObject)[] = [];
    for (const container of containers) {
      const children = Object.values(container);
      if (!Array.isArray(container)) keys += children.length;
      for (const child of children) if (isContainer(child)) next.push(child);
    }
    containers = next;
  }
  return keys;
}

function isContainer(value: ExactJson | undefined): value is ExactJson[] | ExactJsonObject {
  return value !== null && typeof value === 'object' && !(value instanceof JsonNumber);
}
