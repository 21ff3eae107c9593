import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { GatewayProcess } from '@cryptopay/test-servers';
import { GATEWAY_DIR } from './support/gateway-dir.js';

const ROOT = join(GATEWAY_DIR, '../..');
/**
 * The bundle step, as the Dockerfile's build stage runs it. Packages come from the store the install
 * filled; pnpm's supply-chain check may still need a package's registry metadata, which an install
 * from the lockfile does not fetch, so the registry stays allowed (`--prefer-offline`, not `--offline`).
 */
const DEPLOY = ['--filter', '@cryptopay/gateway', 'deploy', '--prod'];

/** pnpm as the test was started with it (a script, a native binary), else from the PATH. */
function pnpm(args: readonly string[]): [string, string[]] {
  const execPath = process.env['npm_execpath'];
  if (execPath && /pnpm/.test(execPath)) return /\.[cm]?js$/.test(execPath) ? [process.execPath, [execPath, ...args]] : [execPath, [...args]];
  return ['pnpm', [...args]];
}

async function run(command: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { cwd: ROOT, env: process.env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, output };
}

describe('the deployable bundle', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cryptopay-bundle-'));
  const bundle = join(scratch, 'gateway');
  let gateway: GatewayProcess | undefined;
  afterAll(async () => {
    await gateway?.kill();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('is a self-contained folder of the built gateway with production dependencies only, and the gateway starts from it', async () => {
    const [command, args] = pnpm([...DEPLOY, '--prefer-offline', bundle]);
    const deployed = await run(command, args);
    expect(deployed).toMatchObject({ code: 0 });

    expect(existsSync(join(bundle, 'dist/main.js'))).toBe(true);
    expect(existsSync(join(bundle, 'dist/cli/migrate.js'))).toBe(true);
    expect(existsSync(join(bundle, 'src'))).toBe(false);
    expect(existsSync(join(bundle, 'node_modules/jest'))).toBe(false);
    expect(existsSync(join(bundle, 'node_modules/@cryptopay/store/dist/index.js'))).toBe(true);

    gateway = await GatewayProcess.start({ packageDir: bundle, env: { DATA_DIR: join(scratch, 'data') } });
    const ready = await fetch(`${gateway.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect((await gateway.stop()).code).toBe(0);
  }, 240_000);

  // The first test starts the bundle with its `start` script (GatewayProcess reads it), which is what the image's CMD execs.
  it('is what the Dockerfile builds and runs: the same deploy step and the bundle\'s own start script', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

    expect(dockerfile).toContain(`pnpm ${DEPLOY.join(' ')} /bundle`);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    expect(cmd).toEqual(['sh', '-c', `exec $(node -p "require('./package.json').scripts.start")`]);
    expect(dockerfile).toMatch(/^FROM node:24-slim$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [^\n]*\\\n\s*CMD .*\/health\/live/m);
  });
});
