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
 * Parses JSON (RFC 8259) with `lossless-json`, keeping every number as a {@link JsonNumber}.
 * Stricter than `JSON.parse` where leniency is risky for payments: a key repeated in one object
 * with another value is an error (which one would a provider mean?), and objects and arrays nest
 * at most 64 levels, so that nothing walking the value recursively can exhaust the stack. A
 * `__proto__` key is kept as an own property, never as a prototype.
 */
export function parseJsonExact(text: string): ExactJson {
  let value: ExactJson;
  try {
    value = parse(text, null, EXACT) as ExactJson;
  } catch (error) {
    throw asJsonSyntaxError(error);
  }
  if (nestsDeeperThan(value, MAX_DEPTH)) throw new JsonSyntaxError(TOO_DEEP, 0);
  return value;
}

function asJsonSyntaxError(error: unknown): unknown {
  if (error instanceof JsonSyntaxError) return error;
  // The parser recurses once per level: only nesting far deeper than we accept exhausts the stack.
  if (error instanceof RangeError) return new JsonSyntaxError(TOO_DEEP, 0);
  if (!(error instanceof SyntaxError)) return error;
  const message = error.message.replace(CONTROL, (char) => JSON.stringify(char).slice(1, -1));
  return new JsonSyntaxError(message, Number.parseInt(AT_POSITION.exec(message)?.[1] ?? '0', 10));
}

/** Whether an object or array sits deeper than `limit` levels (the outermost is level 1); walks level by level, without recursion. */
function nestsDeeperThan(value: ExactJson, limit: number): boolean {
  let containers = isContainer(value) ? [value] : [];
  for (let level = 1; containers.length > 0; level++) {
    if (level > limit) return true;
    const next: (ExactJson[] | ExactJsonObject)[] = [];
    for (const container of containers) for (const child of Object.values(container)) if (isContainer(child)) next.push(child);
    containers = next;
  }
  return false;
}

function isContainer(value: ExactJson | undefined): value is ExactJson[] | ExactJsonObject {
  return value !== null && typeof value === 'object' && !(value instanceof JsonNumber);
}
