import { Agent, createServer, type IncomingHttpHeaders, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { listenOnFreePort } from '@cryptopay/test-servers';

/** One request as it passed through the balancer, with the answer the client got. */
export interface Exchange {
  readonly method: string;
  /** The raw request target, exactly as sent. */
  readonly target: string;
  readonly body: Buffer;
  readonly backend: string | null;
  readonly status: number;
  readonly answer: string;
}

/**
 * Runs on every answer before it is passed on; when it returns a problem, the problem is recorded.
 * The client is held until it has run, so the check sees the world as it was at acknowledgement.
 */
export type AnswerAudit = (exchange: Exchange) => Promise<string | null>;

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

/**
 * A round-robin HTTP load balancer in front of gateway instances — the public URL the providers call.
 * It passes the request target and body through byte for byte (signatures cover them). A backend
 * that refuses the connection or dies mid-request gets the client a 502, as a real balancer would.
 */
export class Balancer {
  readonly exchanges: Exchange[] = [];
  readonly problems: string[] = [];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private backends: string[];
  private turn = 0;

  private constructor(
    private readonly server: Server,
    backends: readonly string[],
    private readonly audit: AnswerAudit | null,
  ) {
    this.backends = [...backends];
  }

  static async start(backends: readonly string[], audit: AnswerAudit | null = null): Promise<Balancer> {
    const server = createServer();
    const balancer = new Balancer(server, backends, audit);
    server.on('request', (req, res) => void balancer.relay(req, res));
    await listenOnFreePort(server);
    return balancer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Which instances take traffic from now on (a health check taking one out of rotation). */
  route(backends: readonly string[]): void {
    this.backends = [...backends];
  }

  /** Requests each backend answered. */
  countsByBackend(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const exchange of this.exchanges) if (exchange.backend) counts.set(exchange.backend, (counts.get(exchange.backend) ?? 0) + 1);
    return counts;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const backend = this.backends.length === 0 ? null : (this.backends[this.turn++ % this.backends.length] as string);
    const answer = backend ? await this.forward(backend, req, body) : { status: 502, headers: {}, body: Buffer.from('no backend in rotation') };
    const exchange: Exchange = { method: req.method ?? 'GET', target: req.url ?? '/', body, backend, status: answer.status, answer: answer.body.toString('utf8') };
    this.exchanges.push(exchange);
    const problem = this.audit ? await this.audit(exchange) : null;
    if (problem) this.problems.push(problem);
    res.writeHead(answer.status, passable(answer.headers)).end(answer.body);
  }

  private forward(backend: string, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    const url = new URL(backend);
    return new Promise((resolve) => {
      const upstream = request(
        { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: { ...passable(req.headers), 'content-length': String(body.length) }, agent: this.agent },
        (response) => {
          const parts: Buffer[] = [];
          response.on('data', (chunk: Buffer) => parts.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(parts) }));
          response.on('error', (error) => resolve({ status: 502, headers: {}, body: Buffer.from(`backend failed: ${error.message}`) }));
        },
      );
      upstream.on('error', (error) => resolve({ status: 502, headers: {}, body: Buffer.from(`backend failed: ${error.message}`) }));
      upstream.end(body);
    });
  }
}

function passable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && name !== 'content-length'));
}
