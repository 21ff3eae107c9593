import { type IncomingMessage } from 'node:http';
import { type RawCallback } from '../contract/raw-callback.js';

/** A callback body larger than the receiver accepts; answer 413 without reading further. */
export class CallbackTooLargeError extends Error {
  override readonly name = 'CallbackTooLargeError';
}

const DEFAULT_BODY_LIMIT = 64 * 1024;

/** Reads the request body as raw bytes, refusing more than `limitBytes` (providers send small bodies). */
export async function readRawBody(request: IncomingMessage, limitBytes = DEFAULT_BODY_LIMIT): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.byteLength;
    if (size > limitBytes) throw new CallbackTooLargeError(`callback body exceeds ${limitBytes} bytes`);
    chunks.push(bytes);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Captures a callback byte-exact from a Node request (Express and Nest requests are ones too):
 * the raw target as received, the external URL as configured public base URL + target (a TLS
 * terminating proxy changes the scheme, so it is never rebuilt from the request), lower-case
 * headers and the peer address.
 */
export function toRawCallback(
  request: IncomingMessage,
  body: Uint8Array,
  publicBaseUrl: string,
  receivedAt: Date = new Date(),
): RawCallback {
  const target = request.url ?? '/';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    target,
    url: `${publicBaseUrl.replace(/\/+$/, '')}${target}`,
    headers,
    body,
    socketAddress: request.socket.remoteAddress ?? '',
    receivedAt,
  };
}
