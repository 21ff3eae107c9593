import { finished } from 'node:stream';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import express from 'express';

/** Why a body could not be read (too large, an unknown or corrupt Content-Encoding): the parser's error and its 4xx status. */
export interface BodyRefusal {
  readonly status: number;
  readonly error: Error;
}

export type RawBody = { readonly bytes: Uint8Array } | { readonly refusal: BodyRefusal };

export interface RawBodyOptions {
  /** An express size string, e.g. `64kb`. */
  readonly limit: string;
  /** The media types read (default: any); a body of another type is left unread. */
  readonly types?: readonly string[];
}

export type RawBodyReader = (req: IncomingMessage, res: ServerResponse) => Promise<RawBody>;

/**
 * Reads a body's exact bytes (adapters check signatures over them), decoded from a gzip, deflate or br
 * Content-Encoding, up to `limit`. A body it cannot read (413, 415, a corrupt encoding 400) is not
 * answered here but returned as a refusal, for the route to answer and log like any other outcome.
 * A server-side fault rejects.
 */
export function rawBodyReader(options: RawBodyOptions): RawBodyReader {
  const types = options.types;
  const read = express.raw({ type: types ? [...types] : () => true, limit: options.limit });
  return (req, res) =>
    new Promise((resolve, reject) => {
      read(req as express.Request, res as express.Response, (error?: unknown) => {
        if (!error) return resolve({ bytes: bodyOf(req) });
        const status = clientErrorStatusOf(error);
        if (status === null) return reject(error as Error);
        const refusal = { status, error: error as Error };
        // A body refused before it was read (an unknown encoding) is read off and dropped, so the connection can be reused.
        if (req.complete) return resolve({ refusal });
        req.resume();
        finished(req, () => resolve({ refusal }));
      });
    });
}

/** The parser leaves no body (`undefined`) for a request without one. */
function bodyOf(req: IncomingMessage): Uint8Array {
  const body = (req as IncomingMessage & { body?: unknown }).body;
  return Buffer.isBuffer(body) ? body : new Uint8Array();
}

/** The 4xx status of a body-parser error (http-errors shape), or null for a server fault. */
function clientErrorStatusOf(error: unknown): number | null {
  if (!(error instanceof Error)) return null;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}
