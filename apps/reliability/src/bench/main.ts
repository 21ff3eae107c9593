import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testDatabaseUrl, testRedisUrl } from '@cryptopay/test-servers';
import { type PreparedRequest } from '../harness/callbacks.js';
import { Fleet } from '../harness/fleet.js';
import { residentSetBytes } from '../harness/process-usage.js';
import { BaselineProcess } from './baseline.js';
import { measureCommitCeiling } from './commit-ceiling.js';
import { summariseProfile } from './cpu-profile.js';
import { type LoadResult, runLoad } from './load.js';
import { describeMachine, stealMeter } from './machine.js';
import { type BenchReport, markdownTables, type Round, type Row, summariseRow, verdicts, writeResults } from './report.js';
import { createInvoices, invoiceReads, newBlockbeeWebhooks, newBlockonomicsCallbacks } from './workload.js';
import { measureWebhookLatency, type WebhookLatency } from './webhook-latency.js';

/** Fixed for a 2-core machine that also runs the load generator, Redis and PostgreSQL. */
const CONNECTIONS = 10;
/** Each scenario alternates with its baseline this many times; the table gives medians and the ratio's range. */
const ROUNDS = 3;
const ROUND_SECONDS = 5;
const INVOICES_PER_PROVIDER = 1_000;
const NEW_CALLBACKS_PER_PROVIDER = 6_000;
const WARM_UP_CALLBACKS = 600;
const OK = '*ok*';
/** Invoices settled for the webhook latency figure. */
const WEBHOOK_INVOICES = 200;

const args = new Set(process.argv.slice(2));
const profile = args.has('--profile');
/** Only the outbound webhook latency scenario, printed, nothing written. */
const webhooksOnly = args.has('--webhooks-only');
const redisUrl = testRedisUrl();
const databaseUrl = testDatabaseUrl();
const docPath = fileURLToPath(new URL('../../../../docs/benchmarks.md', import.meta.url));

async function main(): Promise<void> {
  const machine = await describeMachine(redisUrl, databaseUrl);
  const profileDir = profile ? mkdtempSync(join(tmpdir(), 'cryptopay-bench-profile-')) : null;
  const fleet = await Fleet.start({
    name: 'bench',
    instances: 1,
    redisUrl,
    databaseUrl,
    // The webhook receiver is local.
    env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' },
    ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
  });
  if (webhooksOnly) {
    try {
      console.log(describeWebhookLatency(await measureWebhookLatency(fleet, fleet.gateways[0]!.url, WEBHOOK_INVOICES)));
    } finally {
      await fleet.close();
    }
    return;
  }
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

  const onBaseline = (requests: PreparedRequest[]): Promise<LoadResult> => timed(baseline.url, baseline.pid, requests, { durationSeconds: ROUND_SECONDS });
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

  // Each gateway run right after a baseline run: on a shared host the load from other guests changes
  // within minutes, and a ratio is only fair between neighbouring measurements.
  const rows: Row[] = [];
  const measure = async (scenario: string, shape: string, requests: PreparedRequest[], target: number | undefined, runs: (() => Promise<LoadResult>)[]): Promise<void> => {
    step(scenario);
    const rounds: Round[] = [];
    for (const run of runs) rounds.push({ baseline: await onBaseline(requests), result: await run() });
    rows.push({ scenario, shape, rounds, ...(target === undefined ? {} : { target }) });
  };
  // Unique callbacks can be sent once only: each round gets its own share of them.
  const once = (requests: PreparedRequest[], expectBody?: string) => shares(requests, ROUNDS).map((share) => () => onGateway(share, { amount: share.length }, expectBody));
  const repeated = (requests: PreparedRequest[], expectBody?: string) => Array.from({ length: ROUNDS }, () => () => onGateway(requests, { durationSeconds: ROUND_SECONDS }, expectBody));
  await measure('new callbacks — BlockBee JSON', 'BlockBee JSON POST', blockbee, 0.35, once(blockbeeNew, OK));
  await measure('new callbacks — Blockonomics GET', 'Blockonomics GET', blockonomics, 0.35, once(blockonomicsNew));
  const applied = (await fleet.ledger.payments()).length - paymentsBefore;
  await measure('duplicate storm — BlockBee JSON', 'BlockBee JSON POST', blockbee, 0.7, repeated(blockbeeNew, OK));
  await measure('duplicate storm — Blockonomics GET', 'Blockonomics GET', blockonomics, 0.7, repeated(blockonomicsNew));
  const afterStorm = (await fleet.ledger.payments()).length - paymentsBefore;
  await measure('invoice reads — GET /v1/invoices/:id', 'GET /v1/invoices/:id', reads, undefined, repeated(reads));

  step('outbound webhooks: settlement to first attempt');
  const webhooks = await measureWebhookLatency(fleet, gateway.url, WEBHOOK_INVOICES);
  const stolen = steal.stop();
  const expected = blockbeeNew.length + blockonomicsNew.length;
  return {
    machine,
    settings: `${CONNECTIONS} connections, pipelining 1; each scenario in ${ROUNDS} rounds, each a ${ROUND_SECONDS} s baseline run of the same request shape followed by the gateway's run (new callbacks: ${NEW_CALLBACKS_PER_PROVIDER / ROUNDS} unique requests per round, ${NEW_CALLBACKS_PER_PROVIDER} per provider over ${INVOICES_PER_PROVIDER} invoices each, after ${WARM_UP_CALLBACKS} warm-up; the others ${ROUND_SECONDS} s); figures are medians of the rounds, requests and errors their sum, RSS the peak of all; one gateway process (production build, LOG_LEVEL=info, logs to a file)`,
    rows,
    checks: [
      `CPU time taken by the hypervisor for other guests during the measurements (steal): ${(stolen * 100).toFixed(0)} % — on a quiet host all figures, the baseline's included, are higher`,
      `gateway RSS right after start-up, before any load: ${(idleRss / 2 ** 20).toFixed(0)} MB`,
      `PostgreSQL durable commits on this machine: ${commitsPerSecond.toFixed(0)}/s (one-row INSERTs, each its own transaction, ${CONNECTIONS} connections) — the ceiling for new callbacks, each acknowledged only after its commit; 0.35 × baseline would be ${(0.35 * summariseRow(rows[0]!).baseline.requestsPerSecond).toFixed(0)} (BlockBee) and ${(0.35 * summariseRow(rows[1]!).baseline.requestsPerSecond).toFixed(0)} (Blockonomics) per second`,
      `new callbacks stored: ${applied} of ${expected} ledger rows added${applied === expected ? '' : ' — MISSING PAYMENTS'}`,
      `duplicate storm added ${afterStorm - applied} ledger rows (must be 0)`,
      describeWebhookLatency(webhooks),
    ],
  };
}

function describeWebhookLatency(latency: WebhookLatency): string {
  return `outbound webhooks, settlement to the first attempt of invoice.settled at a local receiver (${latency.invoices} invoices, 8 paid at a time): p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms`;
}

function timed(url: string, pid: number, requests: PreparedRequest[], plan: { amount?: number; durationSeconds?: number }, expectBody?: string): Promise<LoadResult> {
  return runLoad({ url, pid, connections: CONNECTIONS, requests, ...plan, ...(expectBody === undefined ? {} : { expectBody }) });
}

/** `requests` cut into `count` consecutive shares of (nearly) equal size. */
function shares<T>(requests: readonly T[], count: number): T[][] {
  const size = Math.ceil(requests.length / count);
  return Array.from({ length: count }, (_, index) => requests.slice(index * size, (index + 1) * size));
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
