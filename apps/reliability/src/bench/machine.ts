import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';

export interface MachineDescription {
  readonly cpu: string;
  readonly cores: number;
  readonly memory: string;
  readonly node: string;
  readonly redis: string;
  readonly postgres: string;
  readonly kernel: string;
}

/** What the figures were measured on. */
export async function describeMachine(redisUrl: string, databaseUrl: string): Promise<MachineDescription> {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    redis: await redisVersion(redisUrl),
    postgres: await postgresVersion(databaseUrl),
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
  };
}

async function redisVersion(url: string): Promise<string> {
  const redis = new Redis(url, { lazyConnect: true });
  try {
    await redis.connect();
    return /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}

async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

/**
 * Measures the share of this machine's CPU time the hypervisor gave to other guests (`steal` in
 * /proc/stat) from now until `stop()`: on a shared virtual machine, figures from a run with much
 * steal are lower than the same code on a quiet host, the baseline's included.
 */
export function stealMeter(): { stop: () => number } {
  const start = cpuTimes();
  return {
    stop: () => {
      const end = cpuTimes();
      const total = end.total - start.total;
      return total > 0 ? (end.steal - start.steal) / total : 0;
    },
  };
}

/** CPU seconds every core of this machine spent running something (user, nice, system, irq, softirq) so far. */
export function busyCpuSeconds(): number {
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = machineTicks();
  return (user + nice + system + irq + softirq) / 100;
}

function cpuTimes(): { total: number; steal: number } {
  const fields = machineTicks();
  return { total: fields.reduce((sum, value) => sum + value, 0), steal: fields[7] ?? 0 };
}

/** The first eight fields of /proc/stat's `cpu` line: user, nice, system, idle, iowait, irq, softirq, steal (ticks of 10 ms). */
function machineTicks(): number[] {
  return (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1, 9).map((field) => Number.parseInt(field, 10) || 0);
}
