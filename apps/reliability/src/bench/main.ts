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
  const onGateway = (requests: PreparedRequest[], plan: { amount?: number; durationSeconds?: number }, expectBody?: string): Promise<LoadResult> =>
    timed(gateway.url, gateway.pid, requests, plan, expectBody);
  const steal = stealMeter();
  step('warm-up');
  await onBaseline(reads);
  await onGateway(blockbeeWarm, { amount: blockbeeWarm.length }, OK);
  await onGateway(blockonomicsWarm, { amount: blockonomicsWarm.length });
  await onGateway(reads, { durationSeconds: 3 });
  step('PostgreSQL commit ceiling');
  const commitsPerSecond = await measureCommitCeiling(databaseUrl, CONNECTIONS);
  const paymentsBefore = (await fleet.ledger.payments()).length;

  // Each scenario right after its baseline: on a shared host the load from other guests changes
  // within minutes, and a ratio is only fair between neighbouring measurements.
  const rows: Row[] = [];
  const baselines: { shape: string; result: LoadResult }[] = [];
  const measure = async (scenario: string, shape: string, requests: PreparedRequest[], target: number | undefined, run: () => Promise<LoadResult>): Promise<void> => {
    step(scenario);
    const before = await onBaseline(requests);
    baselines.push({ shape: `${shape}, before ${scenario}`, result: before });
    rows.push({ scenario, baseline: before, result: await run(), ...(target === undefined ? {} : { target }) });
  };
  await measure('new callbacks — BlockBee JSON', 'BlockBee JSON POST', blockbee, 0.35, () => onGateway(blockbeeNew, { amount: blockbeeNew.length }, OK));
  await measure('new callbacks — Blockonomics GET', 'Blockonomics GET', blockonomics, 0.35, () => onGateway(blockonomicsNew, { amount: blockonomicsNew.length }));
  const applied = (await fleet.ledger.payments()).length - paymentsBefore;
  await measure('duplicate storm — BlockBee JSON', 'BlockBee JSON POST', blockbee, 0.7, () => onGateway(blockbeeNew, { durationSeconds: DURATION_SECONDS }, OK));
  await measure('duplicate storm — Blockonomics GET', 'Blockonomics GET', blockonomics, 0.7, () => onGateway(blockonomicsNew, { durationSeconds: DURATION_SECONDS }));
  const afterStorm = (await fleet.ledger.payments()).length - paymentsBefore;
  await measure('invoice reads — GET /v1/invoices/:id', 'GET /v1/invoices/:id', reads, undefined, () => onGateway(reads, { durationSeconds: DURATION_SECONDS }));

  const stolen = steal.stop();
  const expected = blockbeeNew.length + blockonomicsNew.length;
  return {
    machine,
    settings: `${CONNECTIONS} connections, pipelining 1; new callbacks: ${NEW_CALLBACKS_PER_PROVIDER} unique requests per provider over ${INVOICES_PER_PROVIDER} invoices each (after ${WARM_UP_CALLBACKS} warm-up); other runs ${DURATION_SECONDS} s; each scenario right after a baseline run of the same request shape; one gateway process (production build, LOG_LEVEL=info, logs to a file)`,
    baselines,
    rows,
    checks: [
      `CPU time taken by the hypervisor for other guests during the measurements (steal): ${(stolen * 100).toFixed(0)} % — on a quiet host all figures, the baseline's included, are higher`,
      `gateway RSS right after start-up, before any load: ${(idleRss / 2 ** 20).toFixed(0)} MB`,
      `PostgreSQL durable commits on this machine: ${commitsPerSecond.toFixed(0)}/s (one-row INSERTs, each its own transaction, ${CONNECTIONS} connections) — the ceiling for new callbacks, each acknowledged only after its commit; 0.35 × baseline would be ${(0.35 * rows[0]!.baseline.requestsPerSecond).toFixed(0)} (BlockBee) and ${(0.35 * rows[1]!.baseline.requestsPerSecond).toFixed(0)} (Blockonomics) per second`,
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
