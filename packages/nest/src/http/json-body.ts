import { BadRequestException, HttpException, UnsupportedMediaTypeException } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { parse, type ParseOptions } from 'lossless-json';
import { logRefusal } from './refusal-log.js';

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

/**
 * A JSON body parser that refuses instead of guessing: a body that is not `application/json` is a
 * 415 (not a 400 listing every field as missing), bytes that are not UTF-8 are a 400 (not silently
 * replaced by U+FFFD), and so are a body nested deeper than {@link MAX_JSON_DEPTH} and a key
 * repeated with another value.
 */
export function strictJsonBody(options: { readonly limit: string }): RequestHandler {
  const read = express.raw({ type: () => true, limit: options.limit });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!BODY_METHODS.has(req.method)) return next();
    const refuse = (error: unknown): void => {
      // Our own refusals are HttpExceptions; body-parser's (413, a bad encoding) carry `status`.
      const status = error instanceof HttpException ? error.getStatus() : (error as { status?: number }).status;
      logRefusal(req, status ?? 400, (error as Error).message);
      next(error);
    };
    const json = req.is(['application/json', 'application/*+json']);
    if (json === null) return next(); // no body
    if (json === false) return refuse(new UnsupportedMediaTypeException('Content-Type must be application/json'));
    read(req, res, (error?: unknown) => {
      if (error) return refuse(error);
      try {
        req.body = parseStrictJson(req.body as Buffer);
        next();
      } catch (refusal) {
        refuse(refusal);
      }
    });
  };
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

function parseStrictJson(bytes: Buffer): unknown {
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
