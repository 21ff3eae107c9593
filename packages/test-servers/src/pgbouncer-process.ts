import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually.js';
import { freePort } from './free-port.js';

/** How the pooler is set up; the defaults are a production PgBouncer's: transaction mode, start-up parameters refused. */
export interface PgBouncerSetup {
  /** The PostgreSQL server the pooler forwards to: `postgresql://user@host:port` (its database is ignored). */
  readonly serverUrl: string;
  /** `ignore_startup_parameters`: the parameters PgBouncer accepts and silently drops. Default none. */
  readonly ignoreStartupParameters?: readonly string[];
  /** `default_pool_size`: server connections per database and user. Default 4, so transactions move between sessions. */
  readonly poolSize?: number;
}

/**
 * A private PgBouncer child process in transaction mode (`PGBOUNCER_BIN`, else `pgbouncer` on the
 * PATH; Debian's `pgbouncer` package) on a free port, with a generated ini and trust auth, in front
 * of a PostgreSQL server. PgBouncer refuses to run as root: as root it runs as `postgres`.
 */
export class PgBouncerProcess {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly user: string,
  ) {}

  static async start(setup: PgBouncerSetup): Promise<PgBouncerProcess> {
    const server = new URL(setup.serverUrl);
    const user = decodeURIComponent(server.username) || 'postgres';
    const dir = await mkdtemp(join(tmpdir(), 'cryptopay-pgbouncer-'));
    const bouncer = new PgBouncerProcess(await freePort(), dir, user);
    await bouncer.writeConfig(setup, server);
    await bouncer.spawn();
    return bouncer;
  }

  /** A URL to `database` through the pooler. */
  url(database: string): string {
    return `postgresql://${encodeURIComponent(this.user)}@127.0.0.1:${this.port}/${database}`;
  }

  /** What PgBouncer logged so far (stderr). */
  get log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private async writeConfig(setup: PgBouncerSetup, server: URL): Promise<void> {
    const ini = [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || '5432'}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${this.port}`,
      'auth_type = trust',
      `auth_file = ${join(this.dir, 'users.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${setup.poolSize ?? 4}`,
      `ignore_startup_parameters = ${(setup.ignoreStartupParameters ?? []).join(',')}`,
      'unix_socket_dir =',
      'logfile =',
      'pidfile =',
    ];
    await writeFile(join(this.dir, 'pgbouncer.ini'), ini.join('\n') + '\n');
    await writeFile(join(this.dir, 'users.txt'), `"${this.user}" ""\n`);
    // Readable by the unprivileged user PgBouncer switches to when started as root.
    await chmod(this.dir, 0o755);
  }

  private async spawn(): Promise<void> {
    const runAs = process.getuid?.() === 0 ? ['-u', 'postgres'] : [];
    const child = spawn(process.env['PGBOUNCER_BIN'] ?? 'pgbouncer', [...runAs, join(this.dir, 'pgbouncer.ini')], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`pgbouncer exited with ${child.exitCode}: ${this.output}`);
        return accepts(this.port);
      },
      `pgbouncer to listen on port ${this.port}`,
      { tries: 400, intervalMs: 25 },
    );
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
  });
}
