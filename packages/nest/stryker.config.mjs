import { strykerConfig } from '../../stryker.base.mjs';
import jest from './jest.config.mjs';

// Only the specs that exercise the mutated folders (callback intake, recording and logging, provider
// discovery, the expiry sweep): the whole nest suite takes about nine minutes before the first mutant,
// and most of it (invoice API, checkout, webhooks, merchants) never reaches this code. A spec that
// starts to test one of these folders belongs in this list.
const PIPELINE_SPECS = [
  'account-callbacks',
  'binding',
  'callback-route',
  'callback-urls',
  'callbacks',
  'delivery-log',
  'delivery-record',
  'delivery-remote-ip',
  'duplicate-log-limiter',
  'events-and-outages',
  'expiry-sweep',
  'intake-answers',
  'ledger-invariant',
  'provider-discovery',
  'reconciliation',
  'redaction',
  'refusal-sampler',
  'recent-replays',
  'refused-callbacks',
  'secret-values',
  'shutdown',
  'text-input',
  'unauthenticated-refusals',
];

// A mutant's run loads only the specs holding its tests (stryker.test-runner.cjs), but one that most
// tests cover still starts an app per spec: a file's run can name fewer specs, e.g.
// `NEST_MUTATION_SPECS=binding,callbacks pnpm exec stryker run --mutate src/callbacks/callback-intake.service.ts`.
// Its score is a lower bound (other specs may kill more); it keeps its own incremental results.
const narrowed = process.env['NEST_MUTATION_SPECS']?.split(',');
const specs = narrowed ?? PIPELINE_SPECS;

// A mutant that stops the log writer's flush or the recorder's timers hangs a spec's `app.close()`:
// with the suites' 30 s Jest waited that long on the hook, and Stryker's own timeout (its dry run's
// whole overhead, about a minute, plus the tests' time) came first and restarted the runner. A spec's
// hooks take about 3 s (the dry run's 62 s of overhead over 22 specs), so 15 s is still generous.
const HOOK_TIMEOUT_MS = 15_000;

// The callback pipeline: intake, recording and logging of deliveries, provider discovery, the expiry sweep.
export default strykerConfig({
  jest: { ...jest, testTimeout: HOOK_TIMEOUT_MS, testMatch: specs.map((name) => `<rootDir>/test/${name}.spec.ts`) },
  mutate: ['src/callbacks/**/*.ts', 'src/providers/**/*.ts', 'src/expiry/**/*.ts'],
  ...(narrowed ? { incrementalFile: `reports/stryker-incremental-${narrowed.join('+')}.json` } : {}),
  // Even these specs take more than Stryker's default 5 minutes for the initial run (with per-test
  // coverage) on the shared machine: it would stop before the first mutant.
  dryRunTimeoutMinutes: 30,
});
