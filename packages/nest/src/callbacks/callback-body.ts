import { finished } from 'node:stream';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import express from 'express';

/** Why a callback's body could not be read (too large, an unknown or corrupt Content-Encoding). */
export interface BodyRefusal {
  readonly status: number;
  readonly reason: string;
}

export type CallbackBody = { readonly bytes: Uint8Array } | { readonly refusal: BodyRefusal };

export type CallbackBodyReader = (req: IncomingMessage, res: ServerResponse) => Promise<CallbackBody>;

/**
 * Reads a callback's exact bytes (the adapters check signatures over them), decoded from a gzip,
 * deflate or br Content-Encoding, up to `limit` (an express size string). A body it refuses (413,
 * 415, a corrupt encoding 400) is not answered here: the refusal goes to the callback route, so the
 * refused callback is logged like any other. A server-side fault rejects.
 */
export function callbackBodyReader(limit: string): CallbackBodyReader {
  const read = express.raw({ type: () => true, limit });
  return (req, res) =>
    new Promise((resolve, reject) => {
      read(req as express.Request, res as express.Response, (error?: unknown) => {
        if (!error) return resolve({ bytes: bodyOf(req) });
        const status = clientErrorStatusOf(error);
        if (status === null) return reject(error as Error);
        const refusal = { status, reason: `the request body could not be read: ${(error as Error).message}` };
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
