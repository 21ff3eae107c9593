#!/usr/bin/env node
// The two quick-start commands (`npm start`, `npm test`) on a machine with only Node.js: move to
// Node 24 if the running Node is older than 22.12 (./node-lts.mjs), fetch the pinned pnpm if it is
// missing, install from the lockfile, then build and run.
import { spawnSync } from 'node:child_process';
import { runOnSupportedNode } from './node-lts.mjs';
import { ensureServices } from './services.mjs';

runOnSupportedNode();

const PNPM_VERSION = '12.21.0';
const command = process.argv[2];

function run(cmd, args, env = process.env, cwd = undefined) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', env, cwd });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function pnpm() {
  const local = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (local.status === 0 && local.stdout.trim().split('.')[0] === PNPM_VERSION.split('.')[0]) return ['pnpm'];
  return ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
}

function install(pm) {
  run(pm[0], [...pm.slice(1), 'install', '--frozen-lockfile']);
}

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' };
const pm = pnpm();

switch (command) {
  case 'start':
    install(pm);
    run(pm[0], [...pm.slice(1), 'exec', 'turbo', 'run', 'build', '--filter=@cryptopay/gateway...', '--output-logs=errors-only'], env);
    run(pm[0], [...pm.slice(1), '--filter', '@cryptopay/gateway', 'start'], env);
    break;
  case 'test': {
    install(pm);
    const services = await ensureServices();
    const testEnv = { ...env, ...services };
    run(pm[0], [...pm.slice(1), 'exec', 'turbo', 'run', 'lint', 'typecheck', 'test', '--concurrency=2', '--output-logs=new-only', ...process.argv.slice(3)], testEnv);
    run(pm[0], [...pm.slice(1), 'run', 'test:example'], testEnv); // the packed packages, installed and embedded outside the workspace
    // The reliability suite runs the built gateway as real processes under load and failure.
    run(pm[0], [...pm.slice(1), 'run', 'test:reliability'], testEnv);
    break;
  }
  case 'sandbox':
    // The sandbox CLI (docs/quickstart.md) on the same Node as the gateway.
    run(process.execPath, ['dist/cli/sandbox.js', ...process.argv.slice(3)], process.env, 'apps/gateway');
    break;
  case 'migrate':
    // A deploy step of its own (docs/operations.md, "Rollout"): the schema, with the gateway's settings.
    run(process.execPath, ['dist/cli/migrate.js', ...process.argv.slice(3)], process.env, 'apps/gateway');
    break;
  default:
    console.error('usage: node scripts/cryptopay.mjs start|test|sandbox|migrate');
    process.exit(2);
}
