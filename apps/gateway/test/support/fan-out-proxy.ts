import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { listenOnFreePort } from '@cryptopay/test-servers';

/**
 * A "load balancer" that hands every request it receives to all its upstreams at the same time
 * (same method, target, headers and body bytes) and answers with the first upstream's answer: the
 * harshest case of one callback reaching several app instances concurrently.
 */
export class FanOutProxy {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(upstreams: () => readonly string[]): Promise<FanOutProxy> {
    const server = createServer((req, res) => {
      void readBody(req).then(async (body) => {
        const answers = await Promise.all(upstreams().map((upstream) => forward(upstream, req, body)));
        const first = answers[0] ?? { status: 502, body: '' };
        res.writeHead(first.status, { 'content-type': first.contentType ?? 'text/plain' }).end(first.body);
      });
    });
    return new FanOutProxy(server, `http://127.0.0.1:${await listenOnFreePort(server)}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

interface Answer {
  readonly status: number;
  readonly contentType?: string;
  readonly body: string;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forward(upstream: string, req: IncomingMessage, body: Buffer): Promise<Answer> {
  const target = new URL(upstream);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, connection: 'close' } },
      (res) => {
        void readBody(res).then((answer) => resolve({ status: res.statusCode ?? 502, contentType: res.headers['content-type'], body: answer.toString() }));
      },
    );
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}
