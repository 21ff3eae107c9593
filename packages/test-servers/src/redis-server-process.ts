import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Socket } from 'node:net';
import { eventually } from './eventually.js';
import { freePort } from './free-port.js';

/** Command-line arguments of a plain server that persists nothing. */
export const plainServer = (port: number): string[] => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];

/**
 * A private redis-server child process (`REDIS_SERVER_BIN`, else `redis-server` on the PATH), for
 * tests that stop, kill, freeze or empty Redis, or need a topology of several. Started again, it
 * comes back on the same port with nothing persisted: a restart loses every key.
 */
export class RedisServerProcess {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly args: string[],
  ) {}

  static async start(args: (port: number) => string[] = plainServer): Promise<RedisServerProcess> {
    const port = await freePort();
    const server = new RedisServerProcess(port, args(port));
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(process.env['REDIS_SERVER_BIN'] ?? 'redis-server', this.args, { stdio: 'ignore' });
    await eventually(() => answersPing(this.port), `redis-server to answer on port ${this.port}`, { tries: 400, intervalMs: 25 });
  }

  /** SIGTERM, and waits for the exit. */
  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  /** SIGKILL: the server dies mid-command and every key it held is gone. */
  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  /** Freezes the server: connections stay open but nothing answers, like a hung Redis. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Empties it, as a restart without persistence or a failover to an empty replica would. */
  async flushAll(): Promise<void> {
    const reply = await sendCommand(this.port, '*1\r\n$8\r\nFLUSHALL\r\n');
    if (!reply.startsWith('+OK')) throw new Error(`FLUSHALL answered ${reply}`);
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT'); // a paused server cannot act on SIGTERM
    child.kill(signal);
    await once(child, 'exit');
  }
}

async function answersPing(port: number): Promise<boolean> {
  return (await sendCommand(port, 'PING\r\n').catch(() => '')).startsWith('+PONG');
}

/** One command over a fresh connection; resolves with the first reply chunk. */
function sendCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', () => socket.write(command));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString());
    });
  });
}
