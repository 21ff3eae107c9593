import http from 'node:http';
import https from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

/** What an endpoint answered, or why it could not be reached. */
export type SendResult = { readonly status: number } | { readonly error: string };

/**
 * POSTs webhook bodies over `node:http(s)` through `request-filtering-agent`, which refuses to connect
 * to a non-public address at connect time (whatever DNS said at creation). Redirects are not followed:
 * a 3xx is an answer like any other non-2xx.
 */
export class WebhookSender {
  private readonly httpAgent: RequestFilteringHttpAgent;
  private readonly httpsAgent: RequestFilteringHttpsAgent;
  /** Aborts every request still in flight at shutdown. */
  private readonly closing = new AbortController();

  constructor(
    allowPrivateNetworks: boolean,
    private readonly timeoutMs: number,
  ) {
    const options = { keepAlive: true, allowPrivateIPAddress: allowPrivateNetworks, allowMetaIPAddress: allowPrivateNetworks };
    this.httpAgent = new RequestFilteringHttpAgent(options);
    this.httpsAgent = new RequestFilteringHttpsAgent(options);
  }

  send(url: string, headers: Readonly<Record<string, string>>, body: string): Promise<SendResult> {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const agent = target.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
    return new Promise((resolve) => {
      const request = client.request(
        target,
        {
          method: 'POST',
          agent,
          signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.closing.signal]),
          headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'cryptopay-webhooks' },
        },
        (response) => {
          // The answer's body is not needed: read and dropped, so the socket can be reused.
          response.resume();
          response.on('error', () => undefined);
          resolve({ status: response.statusCode ?? 0 });
        },
      );
      request.on('error', (error: Error) => resolve({ error: this.closing.signal.aborted ? ABORTED_AT_SHUTDOWN : describe(error) }));
      request.end(body);
    });
  }

  /** Whether `close` cut this attempt short (it was not the endpoint's fault). */
  static abortedAtShutdown(result: SendResult): boolean {
    return 'error' in result && result.error === ABORTED_AT_SHUTDOWN;
  }

  /** Aborts the requests in flight and closes the connections. */
  close(): void {
    this.closing.abort();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

const ABORTED_AT_SHUTDOWN = 'cut short by the instance shutting down';

function describe(error: Error): string {
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer within the time limit';
  return error.message.slice(0, 300);
}
