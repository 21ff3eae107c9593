import autocannon from 'autocannon';
import { type PreparedRequest } from '../harness/callbacks.js';
import { residentSetBytes } from '../harness/process-usage.js';
import { type CpuPerRequest, cpuSharesMeter } from './cpu-shares.js';

export interface LoadPlan {
  readonly url: string;
  readonly connections: number;
  /** Either a fixed duration… */
  readonly durationSeconds?: number;
  /** …or a fixed number of requests (for pools of unique requests). */
  readonly amount?: number;
  readonly requests: readonly PreparedRequest[];
  /** The server process whose memory is sampled while the load runs. */
  readonly pid: number;
  /** Each answer's body must be this (else counted as an error). */
  readonly expectBody?: string;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Connection errors, timeouts, non-2xx answers and unexpected bodies. */
  readonly errors: number;
  readonly peakRssBytes: number;
  /** CPU time per answered request, in microseconds: the server's, its services', and the whole machine's. */
  readonly cpu: CpuPerRequest;
}

/** Runs autocannon with the requests handed out in order across all connections, sampling the server's RSS. */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  let next = 0;
  let unexpected = 0;
  const take = (): PreparedRequest => plan.requests[next++ % plan.requests.length] as PreparedRequest;
  const sampler = sampleRss(plan.pid);
  const cpu = cpuSharesMeter(plan.pid);
  const result = await autocannon({
    url: plan.url,
    connections: plan.connections,
    pipelining: 1,
    timeout: 10,
    ...(plan.amount === undefined ? { duration: plan.durationSeconds ?? 10 } : { amount: plan.amount }),
    requests: [
      {
        setupRequest: (request) => {
          const prepared = take();
          return { ...request, method: prepared.method, path: prepared.path, headers: { ...prepared.headers }, body: prepared.body ?? '' };
        },
        onResponse: (status, body) => {
          if (plan.expectBody !== undefined && status < 300 && body !== plan.expectBody) unexpected += 1;
        },
      },
    ],
  });
  const peakRssBytes = sampler.stop();
  const seconds = result.duration;
  return {
    requests: result.requests.total,
    seconds,
    requestsPerSecond: result.requests.total / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx + unexpected,
    peakRssBytes,
    cpu: cpu.stop(result.requests.total),
  };
}

/** Reads the process's VmRSS every 200 ms; `stop` returns the highest value seen. */
export function sampleRss(pid: number): { stop: () => number } {
  let peak = residentSetBytes(pid);
  const timer = setInterval(() => (peak = Math.max(peak, residentSetBytes(pid))), 200);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, residentSetBytes(pid));
    },
  };
}
