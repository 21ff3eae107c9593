import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { freePort } from '@cryptopay/test-servers';
import { eventually } from './wait.js';

const gatewayPackage = createRequire(import.meta.url);

/** The production build of the gateway (`apps/gateway/dist/main.js`), resolved through this package's dependency. */
export const GATEWAY_MAIN = gatewayPackage.resolve('@cryptopay/gateway/dist/main.js');

/** The node flags of the gateway's `start` script (`node <flags> dist/main.js`): the harness runs it as production does. */
export const GATEWAY_START_FLAGS = startFlags();

function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(gatewayPackage.resolve('@cryptopay/gateway/package.json'), 'utf8')) as { scripts: { start: string } };
  const words = scripts.start.split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'dist/main.js') throw new Error(`the gateway's start script must be "node <flags> dist/main.js", not "${scripts.start}"`);
  return words.slice(1, -1);
}

export interface GatewayStart {
  /** The gateway's whole environment besides PORT (nothing is inherited but PATH). */
  readonly env: Readonly<Record<string, string>>;
  /** Where the process's stdout and stderr go (appended), for the secrets check and post-mortems. */
  readonly logFile: string;
  /** Flags for node itself besides the start script's, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
  /** The working directory (where `--cpu-prof` writes its profile). */
  readonly cwd?: string;
}

/** One gateway as a real operating-system process, listening on its own port. */
export class GatewayProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly logFile: string,
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  ) {}

  static async start(options: GatewayStart): Promise<GatewayProcess> {
    const port = await freePort();
    const out = openSync(options.logFile, 'a');
    const child = spawn(process.execPath, [...GATEWAY_START_FLAGS, ...(options.nodeArgs ?? []), GATEWAY_MAIN], {
      env: { PATH: process.env['PATH'] ?? '', ...options.env, PORT: String(port) },
      stdio: ['ignore', out, out],
      cwd: options.cwd,
    });
    closeSync(out);
    const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    const gateway = new GatewayProcess(child, port, options.logFile, exited);
    await eventually(`the gateway on port ${port} to answer (log: ${options.logFile})`, () => gateway.alive() && gateway.answers(), 30_000, 100);
    return gateway;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL: no shutdown hook runs, in-flight requests and transactions are cut where they stand. */
  async kill(): Promise<void> {
    if (!this.alive()) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: the gateway's graceful shutdown (finish in-flight requests, close connections). */
  async stop(): Promise<void> {
    if (!this.alive()) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }

  log(): string {
    return readFileSync(this.logFile, 'utf8');
  }

  private async answers(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/health/live`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      return response.status === 200;
    } catch {
      return false;
    }
  }
}
