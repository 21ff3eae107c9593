import { BadRequestException, HttpException, UnsupportedMediaTypeException } from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { logRefusal } from './refusal-log.js';

/**
 * How deep a JSON request body may nest, checked on the text before it is parsed: anything that
 * walks the parsed body recursively (the idempotency fingerprint, class-transformer) would exhaust
 * the stack on a deeply nested one. Far above what the API's bodies need (metadata: 4 levels).
 */
export const MAX_JSON_DEPTH = 16;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * A JSON body parser that refuses instead of guessing: a body that is not `application/json` is a
 * 415 (not a 400 listing every field as missing), bytes that are not UTF-8 are a 400 (not silently
 * replaced by U+FFFD), and so is a body nested deeper than {@link MAX_JSON_DEPTH}.
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

function parseStrictJson(bytes: Buffer): unknown {
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    throw new BadRequestException('request body is not valid UTF-8');
  }
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw new BadRequestException(`request body must not nest deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequestException(`request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Counts open brackets outside strings; one pass, no recursion. */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      depth += 1;
      if (depth > limit) return true;
    } else if (char === '}' || char === ']') depth -= 1;
  }
  return false;
}
