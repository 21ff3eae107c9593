import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, type Patience } from './eventually.js';
import { freePort } from './free-port.js';

/** The node command of a package's `start` script, `node <flags> <script>`. */
export interface StartCommand {
  readonly nodeFlags: readonly string[];
  /** The script's absolute path. */
  readonly script: string;
}

/** Reads the `start` script of the package in `packageDir`: tests run the gateway as production does. */
export function startCommand(packageDir: string): StartCommand {
  const { scripts } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const words = (scripts?.start ?? '').split(/\s+/);
  const script = words.at(-1) ?? '';
  if (words[0] !== 'node' || words.length < 2 || script.startsWith('-')) {
    throw new Error(`the start script of ${packageDir} must be "node <flags> <script>", not "${scripts?.start}"`);
  }
  return { nodeFlags: words.slice(1, -1), script: join(packageDir, script) };
}

export interface GatewaySpawn {
  /** The gateway package's directory (built): its `start` script says how to run it. */
  readonly packageDir: string;
  /** The process's whole environment besides PATH: nothing else is inherited. */
  readonly env: Readonly<Record<string, string>>;
  /** Flags for node itself after the start script's own, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
  /** The working directory (where `--cpu-prof` writes its profile). */
  readonly cwd?: string;
  /**
   * Appends stdout and stderr to this file, written by the process itself (nothing passes through
   * the test's process, which may be busy generating load); otherwise they are kept in memory.
   */
  readonly logFile?: string;
}

export interface GatewayOutput {
  /** Empty when the output goes to a log file. */
  readonly stdout: string;
  readonly stderr: string;
}

export interface GatewayExit extends GatewayOutput {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Start-up (PGlite's WASM, Nest) takes seconds on a busy 2-core machine: up to a minute. */
const START_UP: Patience = { tries: 600, intervalMs: 100 };

/** The built gateway as a real operating-system process, run as its `start` script runs it. */
export class GatewayProcess {
  /** Resolves once the process has exited and its output is complete. */
  readonly exited: Promise<GatewayExit>;
  private stdout = '';
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly port: number | undefined,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    // `close`, not `exit`: it comes once the output pipes are drained too.
    this.exited = once(child, 'close').then(([code, signal]) => ({ ...this.output(), code: code as number | null, signal: signal as NodeJS.Signals | null }));
  }

  /** Spawns it with `options.env` as given (PORT included) and does not wait: for a start that must fail. */
  static spawn(options: GatewaySpawn): GatewayProcess {
    const { nodeFlags, script } = startCommand(options.packageDir);
    const out = options.logFile === undefined ? 'pipe' : openSync(options.logFile, 'a');
    try {
      const child = spawn(process.execPath, [...nodeFlags, ...(options.nodeArgs ?? []), script], {
        env: { PATH: process.env['PATH'] ?? '', ...options.env },
        stdio: ['ignore', out, out],
        cwd: options.cwd,
      });
      return new GatewayProcess(child, portOf(options.env));
    } finally {
      if (typeof out === 'number') closeSync(out);
    }
  }

  /** Spawns it on a free port (PORT) and resolves once it answers `GET /health/live`; rejects if it exits first. */
  static async start(options: GatewaySpawn): Promise<GatewayProcess> {
    const port = await freePort();
    const gateway = GatewayProcess.spawn({ ...options, env: { ...options.env, PORT: String(port) } });
    try {
      await eventually(() => gateway.ready(), `the gateway on port ${port} to answer GET /health/live${options.logFile ? ` (log: ${options.logFile})` : ''}`, START_UP);
    } catch (error) {
      await gateway.kill();
      throw error;
    }
    return gateway;
  }

  get url(): string {
    if (this.port === undefined) throw new Error('the gateway was given no port');
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What it wrote so far (kept in memory unless it goes to a log file). */
  output(): GatewayOutput {
    return { stdout: this.stdout, stderr: this.stderr };
  }

  /** SIGTERM: the gateway's graceful shutdown (finish in-flight requests, close connections). */
  stop(): Promise<GatewayExit> {
    return this.signal('SIGTERM');
  }

  /** SIGKILL: no shutdown hook runs; in-flight requests and transactions are cut where they stand. */
  kill(): Promise<GatewayExit> {
    return this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): Promise<GatewayExit> {
    if (this.alive()) this.child.kill(signal);
    return this.exited;
  }

  private async ready(): Promise<boolean> {
    if (!this.alive()) {
      const { code, signal, stderr } = await this.exited;
      throw new Error(`the gateway exited (${signal ?? `code ${code}`}) before it answered${stderr ? `: ${stderr.trim()}` : ''}`);
    }
    try {
      const response = await fetch(`${this.url}/health/live`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      return response.status === 200;
    } catch {
      return false;
    }
  }
}

function portOf(env: Readonly<Record<string, string>>): number | undefined {
  const port = Number(env['PORT']);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}
