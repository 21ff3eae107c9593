import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { listenOnFreePort } from './free-port.js';

/** One request as the receiver got it: the raw body, never re-serialised. */
export interface ReceivedWebhook {
  /** The request's path (a redirect answered points to `/redirected`). */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** When its body had arrived (epoch ms). */
  readonly receivedAt: number;
  /** The status the receiver answered. */
  readonly answered: number;
}

/** The status to answer the `n`th request (from 1) with (a 3xx with `Location: /redirected`); 0 holds the request open, unanswered (until `close`). */
export type ReceiverAnswer = (webhook: Omit<ReceivedWebhook, 'answered'>, n: number) => number;

/** A merchant's webhook receiver: a real HTTP server recording every request it gets. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Requests held open (answered 0), in order. */
  readonly pending: Omit<ReceivedWebhook, 'answered'>[] = [];
  answer: ReceiverAnswer = () => 200;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    const receiverOf: { current?: WebhookReceiver } = {};
    const server = createServer((req, res) => {
      const receiver = receiverOf.current;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const webhook = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() };
        const status = receiver ? receiver.answer(webhook, receiver.received.length + receiver.pending.length + 1) : 500;
        if (status === 0) {
          receiver?.pending.push(webhook);
          return;
        }
        receiver?.received.push({ ...webhook, answered: status });
        res.writeHead(status, status >= 300 && status < 400 ? { location: '/redirected' } : {}).end();
      });
    });
    const port = await listenOnFreePort(server);
    receiverOf.current = new WebhookReceiver(server, `http://127.0.0.1:${port}/hooks`);
    return receiverOf.current;
  }

  /** Every request for one event (its `webhook-id`). */
  of(eventId: string): ReceivedWebhook[] {
    return this.received.filter((webhook) => webhook.headers['webhook-id'] === eventId);
  }

  /** The parsed bodies of the requests received, in order. */
  bodies(): WebhookBody[] {
    return this.received.map((webhook) => JSON.parse(webhook.body) as WebhookBody);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

export interface WebhookBody {
  readonly id: string;
  readonly type: string;
  readonly createdAt: string;
  readonly data: { readonly invoice?: Record<string, unknown> & { readonly id: string; readonly status: string }; readonly invoiceVersion?: number; readonly endpointId?: string };
}

/**
 * Standard Webhooks verification written here by hand, independent of the gateway's signing
 * library: HMAC-SHA256 keyed by the base64-decoded secret over `id.timestamp.body`, compared in
 * constant time with each `v1,` signature of the header. Returns how many of them `secret` signed.
 */
export function signaturesBy(secret: string, webhook: ReceivedWebhook): number {
  const id = String(webhook.headers['webhook-id']);
  const timestamp = String(webhook.headers['webhook-timestamp']);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${webhook.body}`).digest();
  return String(webhook.headers['webhook-signature'] ?? '')
    .split(' ')
    .filter((signature) => {
      const [version, value = ''] = signature.split(',');
      const given = Buffer.from(value, 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    }).length;
}
