import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, Socket } from 'node:net';

/** Command-line arguments of a plain, non-persistent server. */
export const plainServer = (port: number): string[] => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];

/** A private redis-server child process, for suites that stop, pause or restart Redis, or need a topology. */
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

  /** Starts (again) on the same port, with nothing persisted: a restart loses every key. */
  async start(): Promise<void> {
    const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
    this.child = spawn(bin, this.args, { stdio: 'ignore' });
    await waitForPort(this.port);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGCONT'); // a paused server cannot act on SIGTERM
    child.kill('SIGTERM');
    await once(child, 'exit');
  }

  /** Freezes the server: connections stay open but nothing answers, like a hung Redis. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (await answersPing(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`redis-server did not start on port ${port}`);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}
