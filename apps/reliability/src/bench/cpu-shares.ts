import { readdirSync } from 'node:fs';
import { processCpu } from '../harness/process-usage.js';
import { busyCpuSeconds } from './machine.js';

/**
 * Where the machine's CPU time went while a load ran, per answered request, in microseconds: the
 * server under load, the services it calls, the load generator, and the whole machine (all of them,
 * the kernel's own threads and anything else running). It is what tells a server that is slow from
 * a machine that is full: a request can never cost less machine time than its services spend on it.
 */
export interface CpuPerRequest {
  /** The process under load: the gateway or the baseline. */
  readonly server: number;
  /** Every `postgres` process (backends, WAL writer, checkpointer; exited backends through their parent); null when PostgreSQL does not run on this machine. */
  readonly postgres: number | null;
  /** Every `redis-server` process; null when Redis does not run on this machine. */
  readonly redis: number | null;
  /** This process, where autocannon runs. */
  readonly loadGenerator: number;
  /** Every core's user, system and interrupt time, the above included. */
  readonly machine: number;
}

/** The same shares as CPU seconds used so far. */
type Sample = CpuPerRequest;

/** Starts measuring; `stop(requests)` gives each share per request. */
export function cpuSharesMeter(serverPid: number): { stop: (requests: number) => CpuPerRequest } {
  const start = sample(serverPid);
  return {
    stop: (requests) => {
      const end = sample(serverPid);
      const perRequest = (seconds: number): number => (requests === 0 ? 0 : (seconds * 1e6) / requests);
      const used = (before: number | null, after: number | null): number | null => (before === null || after === null ? null : perRequest(after - before));
      return {
        server: perRequest(end.server - start.server),
        postgres: used(start.postgres, end.postgres),
        redis: used(start.redis, end.redis),
        loadGenerator: perRequest(end.loadGenerator - start.loadGenerator),
        machine: perRequest(end.machine - start.machine),
      };
    },
  };
}

function sample(serverPid: number): Sample {
  const own = process.cpuUsage();
  let postgres: number | null = null;
  let redis: number | null = null;
  let server = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = processCpu(pid);
    if (stat === null) continue;
    if (pid === serverPid) server = stat.own;
    else if (stat.name === 'postgres') postgres = (postgres ?? 0) + stat.own + stat.children;
    else if (stat.name === 'redis-server') redis = (redis ?? 0) + stat.own;
  }
  return { server, postgres, redis, loadGenerator: (own.user + own.system) / 1e6, machine: busyCpuSeconds() };
}
