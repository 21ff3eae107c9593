import { Agent, request } from 'node:http';

export interface RawRequest {
  readonly method: string;
  /** The request target, sent as is. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Connect from this loopback address (e.g. 127.0.0.3) — the source a gateway sees. */
  readonly from?: string;
}

export interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

const agents = new Map<string, Agent>();

/** Sends one request over a kept-alive connection from the given loopback source address. */
export function send(baseUrl: string, raw: RawRequest): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const from = raw.from ?? '127.0.0.1';
  const agent = agents.get(from) ?? new Agent({ keepAlive: true, maxSockets: 8, localAddress: from });
  agents.set(from, agent);
  const body = raw.body === undefined ? undefined : Buffer.from(raw.body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: url.hostname, port: url.port, method: raw.method, path: raw.path, agent, headers: { ...raw.headers, ...(body ? { 'content-length': String(body.length) } : {}) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export function closeAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}
