import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually, GatewayProcess, type GatewaySpawn } from '@cryptopay/test-servers';
import { GATEWAY_DIR } from './support/gateway-dir.js';

const dataDir = () => mkdtempSync(join(tmpdir(), 'gateway-process-'));

describe('the gateway process', () => {
  const started: GatewayProcess[] = [];
  const kept = (gateway: GatewayProcess) => {
    started.push(gateway);
    return gateway;
  };
  const options = (env: Record<string, string>): GatewaySpawn => ({ packageDir: GATEWAY_DIR, env });
  const start = (env: Record<string, string>) => kept(GatewayProcess.spawn(options(env)));
  afterEach(() => Promise.all(started.splice(0).map((gateway) => gateway.kill())));

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL must be a redis:// or rediss:// URL'],
    [{ DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
    [{ BLOCKONOMICS_API_KEY: 'abcdefgh12345678' }, 'BLOCKONOMICS_CALLBACK_SECRET is required when BLOCKONOMICS_API_KEY is set'],
    [{ BLOCKBEE_API_KEY: 'abcdefgh12345678' }, 'API_TOKENS is required when a provider API key is set'],
    [{ BLOCKBEE_API_KEY: 'abcdefgh12345678' }, 'PUBLIC_URL is required when a provider API key is set'],
    [{ BLOCKONOMICS_CONFIRMATIONS: '6' }, 'BLOCKONOMICS_CONFIRMATIONS must be 0, 1 or 2'],
    [{ PAYMENT_TOLERANCE_PERCENT: '150' }, 'PAYMENT_TOLERANCE_PERCENT must be a decimal percent from 0 to 100'],
    [{ BLOCKBEE_ALLOWED_IPS: '51.77.105.132,not-an-ip' }, 'BLOCKBEE_ALLOWED_IPS must be comma-separated IP addresses'],
    [{ API_TOKENS: 'short' }, 'API_TOKENS must be comma-separated tokens of at least 32 random characters'],
    [{ IDEMPOTENCY_KEY_PREFIX: 'two words' }, 'IDEMPOTENCY_KEY_PREFIX must be 1 to 64 characters of A-Z a-z 0-9 . _ : -'],
    [{ IDEMPOTENCY_LEASE_SECONDS: '1' }, 'IDEMPOTENCY_LEASE_SECONDS must be a whole number of seconds from 2 to 3600'],
    [{ IDEMPOTENCY_RESULT_TTL_HOURS: '0.5' }, 'IDEMPOTENCY_RESULT_TTL_HOURS must be a whole number of hours from 1 to 8760'],
    [{ IDEMPOTENCY_RECENT_OUTCOMES: '-5' }, 'IDEMPOTENCY_RECENT_OUTCOMES must be a whole number from 0 to 1000000'],
    [{ DATABASE_PREPARED_STATEMENTS: 'yes' }, 'DATABASE_PREPARED_STATEMENTS must be true or false'],
    [{ CREDENTIALS_KEYS: 'k1:c2hvcnQ=' }, 'CREDENTIALS_KEYS entry 1 (kid "k1") must hold exactly 32 bytes'],
  ])('stops with a non-zero exit naming the setting: %j', async (env, message) => {
    const { code, stderr } = await start({ DATA_DIR: dataDir(), ...env }).exited;
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  // Values that pass a pattern but that the providers cannot use: refused at validation (exit 2), never deep in start-up.
  const LIVE = { BLOCKBEE_API_KEY: 'abcdefgh12345678', API_TOKENS: 'live-token-0123456789abcdefghijklm', PUBLIC_URL: 'https://pay.example.test' };
  it.each([
    ['BLOCKBEE_ALLOWED_IPS', '999.1.1.1', 'BLOCKBEE_ALLOWED_IPS must be comma-separated IP addresses or CIDR ranges'],
    ['BLOCKBEE_ALLOWED_IPS', '51.77.105.132/33', 'BLOCKBEE_ALLOWED_IPS must be comma-separated IP addresses or CIDR ranges'],
    ['TRUST_PROXY', '10.0.0.0/99', 'TRUST_PROXY must be comma-separated IP addresses or CIDR ranges'],
    ['BLOCKBEE_PUBLIC_KEY', '-----BEGIN PUBLIC KEY-----\nbm90LWEta2V5LWF0LWFsbA==\n-----END PUBLIC KEY-----', 'BLOCKBEE_PUBLIC_KEY must be a PEM-encoded RSA public key'],
    ['API_TOKENS', 'token with spaces 0123456789', 'API_TOKENS must be comma-separated tokens of at least 32 random characters each, visible ASCII'],
    ['API_TOKENS', 'tab\tseparated-token-0123456789', 'API_TOKENS must be comma-separated tokens of at least 32 random characters each, visible ASCII'],
  ])('refuses %s=%j with exit 2, naming the setting without echoing the value', async (name, value, message) => {
    const { code, stderr } = await start({ DATA_DIR: dataDir(), ...LIVE, [name]: value }).exited;
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toContain(value);
  });

  it('never echoes a secret value in a configuration error', async () => {
    const secret = 'leaky-secret-value';
    const { code, stderr } = await start({ DATA_DIR: dataDir(), BLOCKONOMICS_API_KEY: 'abcdefgh12345678', BLOCKONOMICS_CALLBACK_SECRET: secret }).exited;
    expect(code).toBe(2);
    expect(stderr).toContain('BLOCKONOMICS_CALLBACK_SECRET must be at least');
    expect(stderr).not.toContain(secret);
  });

  it('reads settings from CONFIG_FILE and refuses unknown ones', async () => {
    const file = join(dataDir(), 'gateway.json');
    writeFileSync(file, JSON.stringify({ PORT: 3000, BLOCKONOMICS_APIKEY: 'typo' }));
    const { code, stderr } = await start({ DATA_DIR: dataDir(), CONFIG_FILE: file }).exited;
    expect(code).toBe(2);
    expect(stderr).toContain('CONFIG_FILE: unknown settings BLOCKONOMICS_APIKEY');
  });

  it('starts in sandbox mode with embedded defaults, prints a development token, and shuts down cleanly on SIGTERM', async () => {
    const gateway = kept(await GatewayProcess.start(options({ DATA_DIR: dataDir() })));
    // Its log is written asynchronously: the start-up line may come after the first answer.
    await eventually(() => gateway.output().stdout.includes('cryptopay gateway listening'), 'the start-up line');
    const { stdout } = gateway.output();
    expect(stdout).toContain('Sandbox mode');
    expect(stdout).toContain('in-memory (single instance only');
    const token = /Development token \(API_TOKENS is not set\): (\S+)/.exec(stdout)?.[1];
    const created = await fetch(`${gateway.url}/v1/invoices`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ provider: 'blockbee', amount: '10.00', currency: 'USD', orderId: 'process-test' }),
    });
    expect(created.status).toBe(201);
    const secret = 'query-secret-never-logged-0123456789';
    const forged = await fetch(`${gateway.url}/v1/callbacks/blockonomics?secret=${secret}&apikey=${secret}&nonce=${secret}&addr=a&txid=t&value=1&status=2`);
    expect(forged.status).toBe(403);
    // The rejection is reported at warn with its reason; a served request is only a debug line.
    const rejection = 'blockonomics callback rejected (403): wrong callback secret; GET /v1/callbacks/blockonomics?secret=[redacted]';
    await eventually(() => logLines(gateway.output().stdout).some((line) => line.level === 40 && String(line.msg).startsWith(rejection)), 'the rejection in the log');
    expect(logLines(gateway.output().stdout).filter((line) => (line.req as { url?: string } | undefined)?.url === '/v1/invoices')).toEqual([]);
    expect(gateway.output().stdout).not.toContain(secret);
    expect(gateway.output().stdout).not.toContain(`Bearer ${token}`);

    const exit = await gateway.stop();
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('shut down cleanly');
  }, 90_000);
});

/** The JSON lines pino wrote (the sandbox banner in between is plain text). */
function logLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
