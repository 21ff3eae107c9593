import { readFileSync, writeFileSync } from 'node:fs';
import { type LoadResult } from './load.js';
import { type MachineDescription } from './machine.js';

export interface Row {
  readonly scenario: string;
  /** The baseline this row is compared with (same request shape). */
  readonly baseline: LoadResult;
  readonly result: LoadResult;
  /** The ratio to the baseline this scenario should reach, if it has a target. */
  readonly target?: number;
}

export interface BenchReport {
  readonly machine: MachineDescription;
  readonly settings: string;
  readonly baselines: ReadonlyArray<{ readonly shape: string; readonly result: LoadResult }>;
  readonly rows: readonly Row[];
  readonly checks: readonly string[];
}

/** The targets: p99 under 25 ms at the measured load, RSS under 250 MB, and each row's ratio. */
export const P99_TARGET_MS = 25;
export const RSS_TARGET_BYTES = 250 * 1024 * 1024;

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const us = (value: number): string => `${value.toFixed(0)} µs`;

export function verdicts(row: Row): string[] {
  const problems: string[] = [];
  const ratio = row.result.requestsPerSecond / row.baseline.requestsPerSecond;
  if (row.target !== undefined && ratio < row.target) problems.push(`ratio ${ratio.toFixed(2)} < ${row.target}`);
  if (row.result.p99Ms >= P99_TARGET_MS) problems.push(`p99 ${ms(row.result.p99Ms)} ≥ ${P99_TARGET_MS} ms`);
  if (row.result.peakRssBytes >= RSS_TARGET_BYTES) problems.push(`RSS ${mb(row.result.peakRssBytes)} ≥ 250 MB`);
  if (row.result.errors > 0) problems.push(`${row.result.errors} errors`);
  return problems;
}

export function markdownTables(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${m.cpu}, ${m.cores} cores, ${m.memory}; Node ${m.node}, Redis ${m.redis}, PostgreSQL ${m.postgres}, Linux ${m.kernel}.`,
    `Settings: ${report.settings}.`,
    '',
    '| scenario | requests | req/s | × baseline (target) | p50 | p99 | errors | gateway RSS (peak) | gateway CPU / request | verdict |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...report.rows.map((row) => {
      const ratio = row.result.requestsPerSecond / row.baseline.requestsPerSecond;
      const problems = verdicts(row);
      const target = row.target === undefined ? '' : ` (≥ ${row.target})`;
      const { result } = row;
      return `| ${row.scenario} | ${result.requests} | ${result.requestsPerSecond.toFixed(0)} | ${ratio.toFixed(2)}${target} | ${ms(result.p50Ms)} | ${ms(result.p99Ms)} | ${result.errors} | ${mb(result.peakRssBytes)} | ${us(result.cpuMicrosPerRequest)} | ${problems.length === 0 ? 'meets targets' : problems.join('; ')} |`;
    }),
    '',
    '| baseline (node:http + one Redis SET NX) | requests | req/s | p50 | p99 | errors | RSS (peak) | CPU / request |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...report.baselines.map(
      ({ shape, result }) =>
        `| ${shape} | ${result.requests} | ${result.requestsPerSecond.toFixed(0)} | ${ms(result.p50Ms)} | ${ms(result.p99Ms)} | ${result.errors} | ${mb(result.peakRssBytes)} | ${us(result.cpuMicrosPerRequest)} |`,
    ),
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
