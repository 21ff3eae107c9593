import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@cryptopay/test-servers';

const run = promisify(execFile);
const SERVER_USER = 'postgres';

/**
 * A throw-away PostgreSQL cluster of our own (initdb + pg_ctl on a free port, in a temporary
 * directory), so a scenario can take the database away without touching the machine's shared one.
 * PostgreSQL refuses to run as root: as root, the commands run as the `postgres` user.
 */
export class PostgresCluster {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PostgresCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'cryptopay-pg-'));
    if (userInfo().uid === 0) {
      const { uid, gid } = idsOf(SERVER_USER);
      chownSync(dir, uid, gid);
    }
    const cluster = new PostgresCluster(postgresBinDir(), dir, await freePort());
    await cluster.pg('initdb', ['-D', cluster.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions']);
    await cluster.start();
    return cluster;
  }

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
    await this.pg('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', join(this.dir, 'server.log'), '-w', 'start']);
  }

  /** `fast`: sessions are terminated and their transactions rolled back; `immediate`: the server crashes. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async pg(tool: string, args: string[]): Promise<void> {
    const command = join(this.bin, tool);
    if (userInfo().uid === 0) await run('runuser', ['-u', SERVER_USER, '--', command, ...args]);
    else await run(command, args);
  }
}

/** `PG_BIN`, else the newest /usr/lib/postgresql/<version>/bin (Debian's layout). */
function postgresBinDir(): string {
  const given = process.env['PG_BIN'];
  if (given) return given;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^[0-9]+$/.test(name)) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error('PostgreSQL server binaries not found: install postgresql or set PG_BIN to the directory holding initdb and pg_ctl');
  return join(root, newest, 'bin');
}

/** The uid and gid of a local user, from /etc/passwd. */
function idsOf(user: string): { uid: number; gid: number } {
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === user);
  if (!entry) throw new Error(`running as root needs a "${user}" user to run the PostgreSQL server as`);
  return { uid: Number.parseInt(entry[2] ?? '', 10), gid: Number.parseInt(entry[3] ?? '', 10) };
}
