import { BadRequestException, HttpException, UnsupportedMediaTypeException } from '@nestjs/common';
import { parse, type ParseOptions } from 'lossless-json';
import typeis from 'type-is';
import { type HttpRequest, incomingOf } from './platform.js';
import { type RawBody } from './raw-body.js';

/**
 * How deep a JSON request body may nest, checked before anything walks the parsed body
 * recursively (the idempotency fingerprint, class-transformer), which a deeply nested one would
 * exhaust the stack of. Far above what the API's bodies need (metadata: 4 levels).
 */
export const MAX_JSON_DEPTH = 16;
const TOO_DEEP = `request body must not nest deeper than ${MAX_JSON_DEPTH} levels`;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
// eslint-disable-next-line no-control-regex -- the raw control characters lossless-json quotes in its messages
const CONTROL = /[\u0000-\u001f]/g;

/**
 * Read with `lossless-json`, which refuses a key repeated with another value (which amount would
 * the merchant mean?). Numbers become JS numbers only so that validation can refuse them by name
 * ("write it as a string"): no field of the API takes a JSON number, since it would be a float.
 */
const STRICT: ParseOptions = {
  parseNumber: (source) => Number(source),
  onDuplicateKey: ({ key, position }) => {
    throw new SyntaxError(`duplicate property ${JSON.stringify(key)} at position ${position}`);
  },
};
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
/** What the strict parser takes. */
export const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * A JSON body read as one that refuses instead of guessing: a body that is not `application/json` is a
 * 415 (not a 400 listing every field as missing), bytes that are not UTF-8 are a 400 (not silently
 * replaced by U+FFFD), and so are a body nested deeper than {@link MAX_JSON_DEPTH} and a key
 * repeated with another value. A body that could not be read (too large, a bad encoding) is refused
 * with its reader's status. Undefined: the request has no body to read.
 */
export function strictJsonBody(req: HttpRequest, body: RawBody): unknown {
  if (!BODY_METHODS.has(req.method)) return undefined;
  const json = typeis(incomingOf(req), JSON_TYPES);
  if (json === null) return undefined;
  if (json === false) throw new UnsupportedMediaTypeException('Content-Type must be application/json');
  if ('refusal' in body) throw new HttpException(body.refusal.error.message, body.refusal.status);
  return parseStrictJson(body.bytes);
}

/** The names every JavaScript object already has (`__proto__`, `constructor`, `toString`, …). */
const RESERVED_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * A key that names a member of every object would be dropped or, worse, reach the prototype on its
 * way into a DTO: refused, by name, instead of silently vanishing from what is stored.
 */
function refuseReservedKeys(key: string, value: unknown): unknown {
  if (RESERVED_KEYS.has(key)) throw new BadRequestException(`request body key ${JSON.stringify(key)} is not allowed: it names a member of every JavaScript object; use another key`);
  return value;
}

function parseStrictJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    throw new BadRequestException('request body is not valid UTF-8');
  }
  let body: unknown;
  try {
    body = parse(text, refuseReservedKeys, STRICT);
  } catch (error) {
    if (error instanceof HttpException) throw error;
    // lossless-json recurses once per level: only nesting far deeper than the limit exhausts the stack.
    if (error instanceof RangeError) throw new BadRequestException(TOO_DEEP);
    throw new BadRequestException(`request body is not valid JSON: ${(error as Error).message.replace(CONTROL, (char) => JSON.stringify(char).slice(1, -1))}`);
  }
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) throw new BadRequestException(TOO_DEEP);
  return body;
}

/** Whether an object or array sits deeper than `limit` levels (the outermost is level 1); walks level by level, without recursion. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  let containers = isContainer(value) ? [value] : [];
  for (let level = 1; containers.length > 0; level++) {
    if (level > limit) return true;
    const next: object[] = [];
    for (const container of containers) for (const child of Object.values(container)) if (isContainer(child)) next.push(child);
    containers = next;
  }
  return false;
}

function isContainer(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}
