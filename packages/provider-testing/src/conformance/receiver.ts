import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type RawCallback, readRawBody, toRawCallback } from '@cryptopay/provider-kit';
import { type ProcessedCallback } from './pipeline.js';

export type CallbackHandler = (raw: RawCallback) => Promise<ProcessedCallback>;

/**
 * A real HTTP endpoint on 127.0.0.1 (random port) that captures each delivery byte-exact,
 * hands it to the pipeline, answers with the adapter's acknowledgement and records it all.
 */
export class CallbackReceiver {
  readonly deliveries: ProcessedCallback[] = [];
  /** Exceptions the pipeline threw: a conforming adapter throws none. */
  readonly errors: unknown[] = [];
  private handler: CallbackHandler | null = null;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<CallbackReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const receiver = new CallbackReceiver(server, `http://127.0.0.1:${port}`);
    server.on('request', (request, response) => void receiver.receive(request, response));
    return receiver;
  }

  callbackBaseUrl(providerName: string): string {
    return `${this.baseUrl}/v1/callbacks/${providerName}`;
  }

  handleWith(handler: CallbackHandler): void {
    this.handler = handler;
  }

  /** Deliveries whose raw URL mentions `text` (an address, a txid). */
  deliveriesMentioning(text: string): ProcessedCallback[] {
    return this.deliveries.filter((delivery) => rawText(delivery.raw).includes(text));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const raw = toRawCallback(request, await readRawBody(request), this.baseUrl);
      if (!this.handler) throw new Error('callback received before the suite attached its pipeline');
      const processed = await this.handler(raw);
      this.deliveries.push(processed);
      const ack = processed.acknowledgement;
      response.writeHead(ack.status, { 'content-type': ack.contentType }).end(ack.body);
    } catch (error) {
      this.errors.push(error);
      response.writeHead(500, { 'content-type': 'text/plain' }).end('conformance receiver: the pipeline threw');
    }
  }
}

/** The callback's URL and body as text, percent-decoding tolerated, for finding deliveries by content. */
export function rawText(raw: RawCallback): string {
  const text = `${raw.target} ${Buffer.from(raw.body).toString('utf8')}`;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
