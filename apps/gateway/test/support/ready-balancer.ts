import { Agent, createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { listenOnFreePort } from '@cryptopay/test-servers';

/** A request the balancer could not pass on: the connection to the instance was refused or reset. */
export interface FailedExchange {
  readonly backend: string;
  readonly error: string;
}

/**
 * A tiny load balancer as a platform runs one: round robin over the instances whose
 * `GET /health/ready` answered 200 at the last health check (every `checkMs`), keep-alive
 * connections to them, and no retries, so a refused or reset connection shows as a failure.
 */
export class ReadyBalancer {
  readonly failures: FailedExchange[] = [];
  readonly statuses = new Map<number, number>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });
  private readonly members = new Set<string>();
  private inRotation: string[] = [];
  private turn = 0;
  private readonly checker: NodeJS.Timeout;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    checkMs: number,
  ) {
    this.checker = setInterval(() => void this.check(), checkMs);
  }

  static async start(checkMs = 100): Promise<ReadyBalancer> {
    const server = createServer();
    const balancer = new ReadyBalancer(server, `http://127.0.0.1:${await listenOnFreePort(server)}`, checkMs);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => balancer.relay(req, res));
    return balancer;
  }

  /** Registers an instance; it takes traffic once a health check found it ready. */
  add(backend: string): void {
    this.members.add(backend);
  }

  /** Deregisters an instance (its process is gone). */
  remove(backend: string): void {
    this.members.delete(backend);
    this.inRotation = this.inRotation.filter((each) => each !== backend);
  }

  rotation(): readonly string[] {
    return this.inRotation;
  }

  async close(): Promise<void> {
    clearInterval(this.checker);
    this.agent.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async check(): Promise<void> {
    const ready = await Promise.all([...this.members].map(async (backend) => ((await isReady(backend)) ? backend : null)));
    this.inRotation = ready.filter((backend): backend is string => backend !== null && this.members.has(backend));
  }

  private relay(req: IncomingMessage, res: ServerResponse): void {
    const backend = this.inRotation[this.turn++ % Math.max(this.inRotation.length, 1)];
    if (!backend) {
      res.writeHead(503).end('no instance in rotation');
      return;
    }
    const url = new URL(req.url ?? '/', backend);
    const upstream = request(url, { method: req.method, headers: { authorization: req.headers.authorization ?? '' }, agent: this.agent }, (answer) => {
      this.statuses.set(answer.statusCode ?? 0, (this.statuses.get(answer.statusCode ?? 0) ?? 0) + 1);
      res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'text/plain' });
      answer.pipe(res);
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      this.failures.push({ backend, error: error.code ?? error.message });
      if (!res.headersSent) res.writeHead(502).end(`instance failed: ${error.message}`);
    });
    req.pipe(upstream);
  }
}

async function isReady(backend: string): Promise<boolean> {
  try {
    const response = await fetch(`${backend}/health/ready`, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}
