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

/** The text is not JSON we accept; `position` is the offset where reading stopped. */
export class JsonSyntaxError extends SyntaxError {
  override readonly name = 'JsonSyntaxError';

  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
  }
}

const MAX_DEPTH = 64;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
/** A run of string characters that need no decoding: up to a quote, a backslash or a control character. */
// eslint-disable-next-line no-control-regex -- raw control characters are what JSON forbids in a string: they end the run
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Parses JSON (RFC 8259) keeping every number as a {@link JsonNumber}. Stricter than `JSON.parse`
 * where leniency is risky for payments: a key repeated in one object is an error (which value
 * would a provider mean?), and nesting is bounded.
 */
export function parseJsonExact(text: string): ExactJson {
  const reader = new Reader(text);
  reader.skipSpace();
  const value = reader.value(0);
  reader.skipSpace();
  if (!reader.atEnd()) reader.fail('unexpected text after the JSON value');
  return value;
}

class Reader {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(message: string): never {
    throw new JsonSyntaxError(message, this.pos);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos] as string)) this.pos++;
  }

  value(depth: number): ExactJson {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const char = this.text[this.pos];
    if (char === '{') return this.object(depth);
    if (char === '[') return this.array(depth);
    if (char === '"') return this.string();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number();
    for (const [word, literal] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return literal;
      }
    }
    return this.fail(char === undefined ? 'unexpected end of JSON' : `unexpected character ${JSON.stringify(char)}`);
  }

  private object(depth: number): ExactJsonObject {
    const result: Record<string, ExactJson> = {};
    this.pos++;
    this.skipSpace();
    if (this.take('}')) return result;
    do {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a quoted property name');
      const key = this.string();
      if (Object.hasOwn(result, key)) this.fail(`duplicate property ${JSON.stringify(key)}`);
      this.skipSpace();
      this.expect(':');
      this.skipSpace();
      const value = this.value(depth + 1);
      // Assigned, "__proto__" aside: assigning it would set the prototype, so it is defined as data.
      if (key === '__proto__') Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      else result[key] = value;
      this.skipSpace();
    } while (this.take(','));
    this.expect('}');
    return result;
  }

  private array(depth: number): ExactJson[] {
    const result: ExactJson[] = [];
    this.pos++;
    this.skipSpace();
    if (this.take(']')) return result;
    do {
      this.skipSpace();
      result.push(this.value(depth + 1));
      this.skipSpace();
    } while (this.take(','));
    this.expect(']');
    return result;
  }

  private number(): JsonNumber {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail('invalid number');
    this.pos += match[0].length;
    return new JsonNumber(match[0]);
  }

  /** Copies runs of plain characters whole; only escapes are decoded one by one. */
  private string(): string {
    let result = '';
    this.pos++;
    for (;;) {
      PLAIN_RUN.lastIndex = this.pos;
      PLAIN_RUN.test(this.text);
      result += this.text.slice(this.pos, PLAIN_RUN.lastIndex);
      this.pos = PLAIN_RUN.lastIndex;
      const char = this.text[this.pos];
      if (char === undefined) this.fail('unterminated string');
      this.pos++;
      if (char === '"') return result;
      if (char < ' ') this.fail('control character in string');
      result += this.escape();
    }
  }

  private escape(): string {
    const char = this.text[this.pos++];
    if (char === 'u') {
      const hex = this.text.slice(this.pos, this.pos + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
      this.pos += 4;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    const mapped = char === undefined ? undefined : ESCAPES[char];
    if (mapped === undefined) this.fail('invalid escape');
    return mapped;
  }

  private take(char: string): boolean {
    if (this.text[this.pos] !== char) return false;
    this.pos++;
    return true;
  }

  private expect(char: string): void {
    if (!this.take(char)) this.fail(`expected ${JSON.stringify(char)}`);
  }
}
