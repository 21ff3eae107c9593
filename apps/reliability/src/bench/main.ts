import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PreparedRequest } from '../harness/callbacks.js';
import { Fleet } from '../harness/fleet.js';
import { residentSetBytes } from '../harness/process-usage.js';
import { BaselineProcess } from './baseline.js';
import { measureCommitCeiling } from './commit-ceiling.js';
import { summariseProfile } from './cpu-profile.js';
import { type LoadResult, runLoad } from './load.js';
import { describeMachine, stealMeter } from './machine.js';
import { type BenchReport, markdownTables, type Row, verdicts, writeResults } from './report.js';
import { createInvoices, invoiceReads, newBlockbeeWebhooks, newBlockonomicsCallbacks } from './workload.js';

/** Fixed for a 2-core machine that also runs the load generator, Redis and PostgreSQL. */
const CONNECTIONS = 10;
const DURATION_SECONDS = 10;
const INVOICES_PER_PROVIDER = 1_000;
const NEW_CALLBACKS_PER_PROVIDER = 6_000;
const WARM_UP_CALLBACKS = 600;
const OK = '*ok*';

const args = new Set(process.argv.slice(2));
const profile = args.has('--profile');
const redisUrl = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
const databaseUrl = process.env['DATABASE_URL'] || 'postgresql://postgres@127.0.0.1:5432/test';
const docPath = fileURLToPath(new URL('../../../../docs/benchmarks.md', import.meta.url));

async function main(): Promise<void> {
  const machine = await describeMachine(redisUrl, databaseUrl);
  const profileDir = profile ? mkdtempSync(join(tmpdir(), 'cryptopay-bench-profile-')) : null;
  const fleet = await Fleet.start({
    name: 'bench',
    instances: 1,
    redisUrl,
    databaseUrl,
    ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
  });
  const baseline = await BaselineProcess.start(redisUrl);
  try {
    const report = await measure(fleet, baseline, machine);
    print(report);
    if (!args.has('--no-write') && !profile) {
      writeResults(docPath, markdownTables(report));
      console.log(`\nwritten to ${docPath}`);
    }
  } finally {
    await baseline.close();
    await fleet.close();
  }
  if (profileDir) printProfile(profileDir);
}

async function measure(fleet: Fleet, baseline: BaselineProcess, machine: BenchReport['machine']): Promise<BenchReport> {
  const gateway = fleet.gateways[0]!;
  const idleRss = residentSetBytes(gateway.pid);
  step(`creating ${INVOICES_PER_PROVIDER} invoices per provider`);
  const invoices = await createInvoices(fleet, gateway.url, INVOICES_PER_PROVIDER);
  step('signing the callbacks');
  const total = NEW_CALLBACKS_PER_PROVIDER + WARM_UP_CALLBACKS;
  const blockbee = newBlockbeeWebhooks(fleet, invoices.blockbee, total);
  const blockonomics = newBlockonomicsCallbacks(fleet, invoices.blockonomics, total);
  const reads = invoiceReads(fleet, invoices);
  const [blockbeeWarm, blockbeeNew] = [blockbee.slice(0, WARM_UP_CALLBACKS), blockbee.slice(WARM_UP_CALLBACKS)];
  const [blockonomicsWarm, blockonomicsNew] = [blockonomics.slice(0, WARM_UP_CALLBACKS), blockonomics.slice(WARM_UP_CALLBACKS)];

  const onBaseline = (requests: PreparedRequest[]): Promise<LoadResult> => timed(baseline.url, baseline.pid, requests, { durationSeconds: DURATION_SECONDS });
  const steal = stealMeter();
  step('baseline');
  await onBaseline(reads);
  const baselines = {
    blockbee: await onBaseline(blockbee),
    blockonomics: await onBaseline(blockonomics),
    reads: await onBaseline(reads),
  };

  const onGateway = (requests: PreparedRequest[], plan: { amount?: number; durationSeconds?: number }, expectBody?: string): Promise<LoadResult> =>
    timed(gateway.url, gateway.pid, requests, plan, expectBody);
  step('gateway warm-up');
  await onGateway(blockbeeWarm, { amount: blockbeeWarm.length }, OK);
  await onGateway(blockonomicsWarm, { amount: blockonomicsWarm.length });
  await onGateway(reads, { durationSeconds: 3 });
  step('PostgreSQL commit ceiling');
  const commitsPerSecond = await measureCommitCeiling(databaseUrl, CONNECTIONS);
  const paymentsBefore = (await fleet.ledger.payments()).length;

  step('new callbacks');
  const rows: Row[] = [];
  rows.push({ scenario: 'new callbacks — BlockBee JSON', baseline: baselines.blockbee, target: 0.35, result: await onGateway(blockbeeNew, { amount: blockbeeNew.length }, OK) });
  rows.push({ scenario: 'new callbacks — Blockonomics GET', baseline: baselines.blockonomics, target: 0.35, result: await onGateway(blockonomicsNew, { amount: blockonomicsNew.length }) });
  const applied = (await fleet.ledger.payments()).length - paymentsBefore;
  step('duplicate storm');
  rows.push({ scenario: 'duplicate storm — BlockBee JSON', baseline: baselines.blockbee, target: 0.7, result: await onGateway(blockbeeNew, { durationSeconds: DURATION_SECONDS }, OK) });
  rows.push({ scenario: 'duplicate storm — Blockonomics GET', baseline: baselines.blockonomics, target: 0.7, result: await onGateway(blockonomicsNew, { durationSeconds: DURATION_SECONDS }) });
  const afterStorm = (await fleet.ledger.payments()).length - paymentsBefore;
  step('invoice reads');
  rows.push({ scenario: 'invoice reads — GET /v1/invoices/:id', baseline: baselines.reads, result: await onGateway(reads, { durationSeconds: DURATION_SECONDS }) });

  const stolen = steal.stop();
  const expected = blockbeeNew.length + blockonomicsNew.length;
  return {
    machine,
    settings: `${CONNECTIONS} connections, pipelining 1; new callbacks: ${NEW_CALLBACKS_PER_PROVIDER} unique requests per provider over ${INVOICES_PER_PROVIDER} invoices each (after ${WARM_UP_CALLBACKS} warm-up); other runs ${DURATION_SECONDS} s; one gateway process (production build, LOG_LEVEL=info, logs to a file)`,
    baselines: [
      { shape: 'BlockBee JSON POST', result: baselines.blockbee },
      { shape: 'Blockonomics GET', result: baselines.blockonomics },
      { shape: 'GET /v1/invoices/:id', result: baselines.reads },
    ],
    rows,
    checks: [
      `CPU time taken by the hypervisor for other guests during the measurements (steal): ${(stolen * 100).toFixed(0)} % — on a quiet host all figures, the baseline's included, are higher`,
      `gateway RSS right after start-up, before any load: ${(idleRss / 2 ** 20).toFixed(0)} MB`,
      `PostgreSQL durable commits on this machine: ${commitsPerSecond.toFixed(0)}/s (one-row INSERTs, each its own transaction, ${CONNECTIONS} connections) — the ceiling for new callbacks, each acknowledged only after its commit; 0.35 × baseline would be ${(0.35 * baselines.blockbee.requestsPerSecond).toFixed(0)} (BlockBee) and ${(0.35 * baselines.blockonomics.requestsPerSecond).toFixed(0)} (Blockonomics) per second`,
      `new callbacks stored: ${applied} of ${expected} ledger rows added${applied === expected ? '' : ' — MISSING PAYMENTS'}`,
      `duplicate storm added ${afterStorm - applied} ledger rows (must be 0)`,
    ],
  };
}

function timed(url: string, pid: number, requests: PreparedRequest[], plan: { amount?: number; durationSeconds?: number }, expectBody?: string): Promise<LoadResult> {
  return runLoad({ url, pid, connections: CONNECTIONS, requests, ...plan, ...(expectBody === undefined ? {} : { expectBody }) });
}

function step(message: string): void {
  console.log(`… ${message}`);
}

function print(report: BenchReport): void {
  console.log('');
  console.log(markdownTables(report));
  const failing = report.rows.filter((row) => verdicts(row).length > 0).length;
  console.log(`\n${report.rows.length - failing} of ${report.rows.length} scenarios meet their targets.`);
}

function printProfile(dir: string): void {
  const { functions, packages } = summariseProfile(dir);
  console.log(`\nCPU profile (${dir}), self time by package:`);
  for (const spot of packages) console.log(`  ${(spot.share * 100).toFixed(1).padStart(5)}%  ${spot.name}`);
  console.log('\nby function:');
  for (const spot of functions) console.log(`  ${(spot.share * 100).toFixed(1).padStart(5)}%  ${spot.name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
