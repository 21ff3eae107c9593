import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { eventually, GatewayProcess, PgBouncerProcess } from '@cryptopay/test-servers';
import { ConfigError, loadGatewayConfig } from '../src/config/load-config.js';
import { resolveSettings } from '../src/config/runtime.js';
import { DATABASE_URL, databaseEnv, dropTestSchemas } from './support/gateway-harness.js';
import { GATEWAY_DIR } from './support/gateway-dir.js';

const LIVE = { BLOCKBEE_API_KEY: 'deployment-key-0123456789', API_TOKENS: 'deployment-token-0123456789abcdef', PUBLIC_URL: 'https://pay.example.test', LOG_LEVEL: 'info' };

/** `cryptopay migrate` as the deploy step runs it: the built CLI with the gateway's environment. */
async function runMigrate(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(GATEWAY_DIR, 'dist/cli/migrate.js')], { env: { PATH: process.env['PATH'] ?? '', ...env } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, output };
}

async function status(url: string): Promise<number> {
  const response = await fetch(url);
  await response.body?.cancel();
  return response.status;
}

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadGatewayConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('deployment settings', () => {
  it('passes DATABASE_POOL_SIZE and DATABASE_POOLER to the store', () => {
    const config = loadGatewayConfig({ ...LIVE, DATABASE_POOL_SIZE: '25', DATABASE_POOLER: 'transaction' });

    expect(resolveSettings(config, 3000).modules.store).toMatchObject({ poolSize: 25, pooler: 'transaction' });
  });

  it.each([
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE must be a whole number from 1 to 1000'],
    [{ DATABASE_POOLER: 'session' }, 'DATABASE_POOLER must be none or transaction (PgBouncer in transaction mode)'],
    [{ MIGRATE_ON_START: 'no' }, 'MIGRATE_ON_START must be true or false'],
    [{ SHUTDOWN_DELAY_SECONDS: '-1' }, 'SHUTDOWN_DELAY_SECONDS must be a whole number of seconds from 0 to 300'],
    [{ SHUTDOWN_TIMEOUT_SECONDS: '0' }, 'SHUTDOWN_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 600'],
    [{ KEEP_ALIVE_TIMEOUT_SECONDS: '1.5' }, 'KEEP_ALIVE_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 3600'],
  ])('refuses %j, naming the setting', (env, message) => {
    expect(problemsOf({ ...LIVE, ...env })).toContain(message);
  });
});

describe('the gateway deployed', () => {
  const started: GatewayProcess[] = [];
  const bouncers: PgBouncerProcess[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((gateway) => gateway.kill()));
    await Promise.all(bouncers.splice(0).map((bouncer) => bouncer.stop()));
  });
  afterAll(() => dropTestSchemas());

  it('with MIGRATE_ON_START=false, refuses an unmigrated schema until `cryptopay migrate` ran', async () => {
    const env = { ...LIVE, ...databaseEnv('PostgreSQL'), MIGRATE_ON_START: 'false' };

    const refused = await GatewayProcess.spawn({ packageDir: GATEWAY_DIR, env: { ...env, PORT: '0' } }).exited;
    const migrated = await runMigrate(env);
    const again = await runMigrate(env);
    const gateway = await GatewayProcess.start({ packageDir: GATEWAY_DIR, env });
    started.push(gateway);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('run `cryptopay migrate` first');
    expect(migrated).toMatchObject({ code: 0, output: expect.stringContaining('database migrated') });
    expect(again).toMatchObject({ code: 0, output: expect.stringContaining('database schema already current') });
    expect(await status(`${gateway.url}/health/ready`)).toBe(200);
  });

  it('exposes API latency by route and status, the database pool and the idempotency store round trip', async () => {
    const gateway = await GatewayProcess.start({ packageDir: GATEWAY_DIR, env: { ...LIVE, ...databaseEnv('PostgreSQL') } });
    started.push(gateway);
    await status(`${gateway.url}/v1/invoices/inv_missing`);

    const text = await (await fetch(`${gateway.url}/metrics`)).text();

    expect(text).toMatch(/^cryptopay_http_request_duration_seconds_count\{method="GET",route="\/v1\/invoices\/:id",status="401"\} 1$/m);
    expect(text).toMatch(/^cryptopay_db_pool_connections\{state="waiting"\} \d+$/m);
    expect(text).toMatch(/^cryptopay_idempotency_store_ping_seconds (?!-1)[0-9.e-]+$/m);
  });

  it('on SIGTERM answers readiness 503 while it still serves, until SHUTDOWN_DELAY_SECONDS have passed', async () => {
    const gateway = await GatewayProcess.start({ packageDir: GATEWAY_DIR, env: { ...LIVE, ...databaseEnv('PostgreSQL'), SHUTDOWN_DELAY_SECONDS: '30' } });
    started.push(gateway);
    const exit = gateway.stop();

    await eventually(async () => (await status(`${gateway.url}/health/ready`)) === 503, 'readiness to answer 503');
    expect(await status(`${gateway.url}/health/live`)).toBe(200);
    expect(gateway.alive()).toBe(true);
    await gateway.kill();
    expect((await exit).signal).toBe('SIGKILL');
  });

  it('on SIGINT (Ctrl-C) closes at once, without the load balancer delay', async () => {
    const gateway = await GatewayProcess.start({ packageDir: GATEWAY_DIR, env: { ...LIVE, ...databaseEnv('PostgreSQL'), SHUTDOWN_DELAY_SECONDS: '300' } });
    started.push(gateway);

    process.kill(gateway.pid, 'SIGINT');

    expect((await gateway.exited).code).toBe(0);
  });

  it('through PgBouncer without DATABASE_POOLER, stops with the pooler’s own reason', async () => {
    const bouncer = await PgBouncerProcess.start({ serverUrl: DATABASE_URL });
    bouncers.push(bouncer);
    const database = new URL(DATABASE_URL).pathname.slice(1);
    const env = { ...LIVE, ...databaseEnv('PostgreSQL'), DATABASE_URL: bouncer.url(database), DATABASE_PREPARED_STATEMENTS: 'false', PORT: '0' };

    const { code, stderr } = await GatewayProcess.spawn({ packageDir: GATEWAY_DIR, env }).exited;

    expect(code).toBe(1);
    expect(stderr).toContain('unsupported startup parameter');
  });
});
