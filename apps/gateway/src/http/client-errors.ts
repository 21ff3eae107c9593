import { type Server, type ServerResponse } from 'node:http';
import { type Socket } from 'node:net';
import { type Logger } from 'pino';

interface ClientError extends Error {
  readonly code?: string;
  /** llhttp's description of what was wrong, e.g. "Invalid method encountered"; never request bytes. */
  readonly reason?: string;
}

interface Refusal {
  readonly status: number;
  readonly statusText: string;
  readonly reason: string;
}

/** What Node refuses before the app sees a request, in words a provider's support team can act on. */
function refusalFor(error: ClientError): Refusal {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, statusText: 'Request Header Fields Too Large', reason: 'the request line and headers together exceed 16 KB (is the URL too long?)' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, statusText: 'Content Too Large', reason: 'the chunk extensions of the request body are too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, statusText: 'Request Timeout', reason: 'the request was not received in time' };
    default:
      return { status: 400, statusText: 'Bad Request', reason: `the request is not valid HTTP/1.1 (${error.code ?? 'parse error'}${error.reason ? `: ${error.reason}` : ''})` };
  }
}

/**
 * Answers what Node's HTTP parser refuses (a request line over 16 KB, a malformed request) with its
 * status and a plain-text reason instead of Node's empty answer, then closes the connection: after a
 * parse error nothing more can be read from it. Like Node's own handler, it writes only when no
 * answer to an earlier request on the same connection has started, so a keep-alive connection never
 * gets an answer spliced into another.
 */
export function answerClientErrors(server: Server, logger: Logger): void {
  server.on('clientError', clientErrorAnswerer(logger));
}

/** The same, as Fastify's `clientErrorHandler` (Fastify listens for `clientError` itself). */
export function clientErrorAnswerer(logger: Logger): (error: ClientError, socket: Socket & { _httpMessage?: ServerResponse | null }) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const refusal = refusalFor(error);
    logger.info({ code: error.code, status: refusal.status, remoteAddress: socket.remoteAddress ?? null }, `request refused before routing: ${refusal.reason}`);
    if (socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const body = `${refusal.reason}\n`;
    socket.end(
      `HTTP/1.1 ${refusal.status} ${refusal.statusText}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };
}
