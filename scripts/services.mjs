// Finds the Redis and PostgreSQL servers the tests need, and starts local ones when it can.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function has(binary) {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

async function waitFor(url, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await reachable(url)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function ensureRedis() {
  if (await reachable(REDIS_URL)) return;
  const { port } = new URL(REDIS_URL);
  if (!has('redis-server')) throw new Error(`Redis is not reachable at ${REDIS_URL} and redis-server is not installed (apt-get install redis-server).`);
  const dir = path.join(os.tmpdir(), 'cryptopay-redis');
  mkdirSync(dir, { recursive: true });
  console.log(`starting redis-server on port ${port || 6379}`);
  spawnSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', port || '6379', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', path.join(dir, 'redis.log')], { stdio: 'inherit' });
  if (!(await waitFor(REDIS_URL, 10))) throw new Error(`redis-server did not come up at ${REDIS_URL}`);
}

async function ensurePostgres() {
  if (await reachable(DATABASE_URL)) return;
  if (!has('pg_ctlcluster') || !existsSync('/etc/postgresql')) {
    throw new Error(`PostgreSQL is not reachable at ${DATABASE_URL} and no local cluster was found (apt-get install postgresql).`);
  }
  for (const version of readdirSync('/etc/postgresql')) {
    console.log(`starting PostgreSQL ${version}`);
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
  }
  if (!(await waitFor(DATABASE_URL, 30))) throw new Error(`PostgreSQL did not come up at ${DATABASE_URL}`);
}

/** Makes sure both servers answer and returns the environment that points the tests at them. */
export async function ensureServices() {
  try {
    await ensureRedis();
    await ensurePostgres();
  } catch (error) {
    console.error(`\nThe test suite needs Redis and PostgreSQL: ${error.message}\n`);
    process.exit(1);
  }
  return { REDIS_URL, DATABASE_URL };
}

if (import.meta.url === `file://${process.argv[1]}`) await ensureServices();
