import { readFileSync, writeFileSync } from 'node:fs';
import { type CpuPerRequest } from './cpu-shares.js';
import { type LoadResult } from './load.js';
import { type MachineDescription } from './machine.js';

/** One baseline run and the gateway run right after it, with the same request shape. */
export interface Round {
  readonly baseline: LoadResult;
  readonly result: LoadResult;
}

export interface Row {
  readonly scenario: string;
  /** The request shape the baseline was given. */
  readonly shape: string;
  /** Baseline and gateway alternated: a ratio is only fair between neighbouring runs. */
  readonly rounds: readonly Round[];
  /** The ratio to the baseline this scenario should reach, if it has a target. */
  readonly target?: number;
}

export interface BenchReport {
  readonly machine: MachineDescription;
  readonly settings: string;
  readonly rows: readonly Row[];
  readonly checks: readonly string[];
}

/** A row's rounds in one line: medians, except requests and errors (summed) and RSS (the peak of all). */
export type Summary = Omit<LoadResult, 'seconds'>;

export interface RowSummary {
  readonly result: Summary;
  readonly baseline: Summary;
  /** Median of the rounds' ratios, and their range. */
  readonly ratio: number;
  readonly ratioRange: readonly [number, number];
}

/** The targets: p99 under 25 ms at the measured load, RSS under 250 MB, and each row's ratio. */
export const P99_TARGET_MS = 25;
export const RSS_TARGET_BYTES = 250 * 1024 * 1024;

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const us = (value: number): string => `${value.toFixed(0)} µs`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function summarise(results: readonly LoadResult[]): Summary {
  const sum = (pick: (result: LoadResult) => number): number => results.reduce((total, result) => total + pick(result), 0);
  const middle = (pick: (result: LoadResult) => number): number => median(results.map(pick));
  return {
    requests: sum((result) => result.requests),
    requestsPerSecond: middle((result) => result.requestsPerSecond),
    p50Ms: middle((result) => result.p50Ms),
    p99Ms: middle((result) => result.p99Ms),
    errors: sum((result) => result.errors),
    peakRssBytes: Math.max(...results.map((result) => result.peakRssBytes)),
    cpu: medianShares(results.map((result) => result.cpu)),
  };
}

function medianShares(shares: readonly CpuPerRequest[]): CpuPerRequest {
  const service = (pick: (share: CpuPerRequest) => number | null): number | null => {
    const values = shares.map(pick);
    return values.includes(null) ? null : median(values as number[]);
  };
  return {
    server: median(shares.map((share) => share.server)),
    postgres: service((share) => share.postgres),
    redis: service((share) => share.redis),
    loadGenerator: median(shares.map((share) => share.loadGenerator)),
    machine: median(shares.map((share) => share.machine)),
  };
}

export function summariseRow(row: Row): RowSummary {
  const ratios = row.rounds.map((round) => round.result.requestsPerSecond / round.baseline.requestsPerSecond);
  return {
    result: summarise(row.rounds.map((round) => round.result)),
    baseline: summarise(row.rounds.map((round) => round.baseline)),
    ratio: median(ratios),
    ratioRange: [Math.min(...ratios), Math.max(...ratios)],
  };
}

export function verdicts(row: Row): string[] {
  const { result, ratio } = summariseRow(row);
  const problems: string[] = [];
  if (row.target !== undefined && ratio < row.target) problems.push(`ratio ${ratio.toFixed(2)} < ${row.target}`);
  if (result.p99Ms >= P99_TARGET_MS) problems.push(`p99 ${ms(result.p99Ms)} ≥ ${P99_TARGET_MS} ms`);
  if (result.peakRssBytes >= RSS_TARGET_BYTES) problems.push(`RSS ${mb(result.peakRssBytes)} ≥ 250 MB`);
  if (result.errors > 0) problems.push(`${result.errors} errors`);
  return problems;
}

function scenarioLine(row: Row): string {
  const { result, ratio, ratioRange } = summariseRow(row);
  const problems = verdicts(row);
  const target = row.target === undefined ? '' : ` (≥ ${row.target})`;
  const range = `${ratioRange[0].toFixed(2)}–${ratioRange[1].toFixed(2)}`;
  return `| ${row.scenario} | ${result.requests} | ${result.requestsPerSecond.toFixed(0)} | ${ratio.toFixed(2)}${target} | ${range} | ${ms(result.p50Ms)} | ${ms(result.p99Ms)} | ${result.errors} | ${mb(result.peakRssBytes)} | ${us(result.cpu.server)} | ${problems.length === 0 ? 'meets targets' : problems.join('; ')} |`;
}

function baselineLine(row: Row): string {
  const { baseline } = summariseRow(row);
  return `| ${row.shape}, alternated with ${row.scenario} | ${baseline.requests} | ${baseline.requestsPerSecond.toFixed(0)} | ${ms(baseline.p50Ms)} | ${ms(baseline.p99Ms)} | ${baseline.errors} | ${mb(baseline.peakRssBytes)} | ${us(baseline.cpu.server)} |`;
}

/**
 * A row's CPU per request across the machine, beside the most a request may cost for the row to reach
 * its target (target × the baseline's rate): the gateway's one thread may spend a second's worth per
 * request at that rate, the whole machine every core's. Where the services alone spend more than the
 * machine's, no change to the gateway can reach the target on this machine.
 */
function machineLine(row: Row, cores: number): string {
  const { result, baseline } = summariseRow(row);
  const { server, postgres, redis, loadGenerator, machine } = result.cpu;
  const rest = machine - server - (postgres ?? 0) - (redis ?? 0) - loadGenerator;
  const atTarget = (threads: number): string => (row.target === undefined ? '—' : us((threads * 1e6) / (row.target * baseline.requestsPerSecond)));
  const service = (value: number | null): string => (value === null ? 'not on this machine' : us(value));
  return `| ${row.scenario} | ${us(server)} | ${atTarget(1)} | ${service(postgres)} | ${service(redis)} | ${us(loadGenerator)} | ${us(Math.max(rest, 0))} | ${us(machine)} | ${atTarget(cores)} | ${us(baseline.cpu.machine)} |`;
}

export function markdownTables(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${m.cpu}, ${m.cores} cores, ${m.memory}; Node ${m.node}, Redis ${m.redis}, PostgreSQL ${m.postgres}, Linux ${m.kernel}.`,
    `Settings: ${report.settings}.`,
    '',
    '| scenario | requests | req/s | × baseline (target) | × baseline, range | p50 | p99 | errors | gateway RSS (peak) | gateway CPU / request | verdict |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...report.rows.map(scenarioLine),
    '',
    '| baseline (node:http + one Redis SET NX) | requests | req/s | p50 | p99 | errors | RSS (peak) | CPU / request |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...report.rows.map(baselineLine),
    '',
    'Where the machine\'s CPU went, per request (from /proc; "rest" is the kernel\'s own threads, such as the disk writes of PostgreSQL\'s commits, and anything else running; "at the target" is the most a request may cost at target × the baseline\'s rate: one core\'s time for the gateway\'s one thread, every core\'s for the machine):',
    '',
    '| scenario | gateway | gateway at the target | PostgreSQL | Redis | load generator | rest | whole machine | whole machine at the target | whole machine, baseline |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...report.rows.map((row) => machineLine(row, m.cores)),
    '',
    ...report.checks.map((check) => `- ${check}`),
  ];
  return lines.join('\n');
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/** Replaces the generated block of docs/benchmarks.md, keeping the hand-written text around it. */
export function writeResults(docPath: string, tables: string): void {
  const doc = readFileSync(docPath, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start === -1 || end < start) throw new Error(`${docPath} has no ${START} … ${END} block to write the results into`);
  writeFileSync(docPath, `${doc.slice(0, start + START.length)}\n${tables}\n${doc.slice(end)}`);
}
