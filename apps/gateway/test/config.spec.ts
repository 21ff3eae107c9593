import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockbeeProvider } from '@cryptopay/provider-blockbee';
import { GatewayConfig } from '../src/config/gateway-config.js';
import { ConfigError, loadGatewayConfig } from '../src/config/load-config.js';
import { trustProxyWarnings } from '../src/config/network-exposure.js';
import { resolveSettings } from '../src/config/runtime.js';
import { PROVIDERS } from '../src/providers.js';

const LIVE = { BLOCKBEE_API_KEY: 'abcdefgh12345678', API_TOKENS: 'live-token-0123456789abcdefghijklm', PUBLIC_URL: 'https://pay.example.test' };

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

/** The gateway maps variables to module options; each module's own rule decides, named by the variable. */
describe('the gateway configuration', () => {
  it('sets only the module options the environment gives, in the modules\' units', () => {
    const config = loadGatewayConfig({
      ...LIVE,
      DATABASE_SCHEMA: 'shop',
      DATABASE_PREPARED_STATEMENTS: 'false',
      REDIS_URL: 'redis://127.0.0.1:6379',
      IDEMPOTENCY_LEASE_SECONDS: '7',
      IDEMPOTENCY_RESULT_TTL_HOURS: '2',
      IDEMPOTENCY_RETRY_MARGIN_MINUTES: '15',
      TRUST_PROXY: '10.0.0.0/8, ::1',
      INVOICE_EXPIRY_MINUTES: '30',
      PAYMENT_TOLERANCE_PERCENT: '0.5',
      EXPIRY_SWEEP_SECONDS: '60',
      DELIVERY_LOG_RETENTION_DAYS: '7',
      RECONCILE_SCHEDULE: '1m,10m,2h',
      RECONCILE_INTERVAL_SECONDS: '5',
      WEBHOOK_RETRY_SCHEDULE: '5s, 1m,2h',
      WEBHOOK_RETENTION_DAYS: '7',
      WEBHOOK_DISPATCH: 'false',
      BLOCKBEE_ALLOWED_IPS: '51.77.105.132',
    });
    const { modules } = resolveSettings(config, 3000);
    expect(modules.store).toEqual({ dataDir: './.data', schema: 'shop', preparedStatements: false });
    expect(modules.idempotency).toEqual({ store: 'redis', redisUrl: 'redis://127.0.0.1:6379', leaseMs: 7_000, resultTtlMs: 7_200_000, retryWindowMarginMs: 900_000 });
    expect(modules.payments).toEqual({
      publicUrl: 'https://pay.example.test',
      apiTokens: ['live-token-0123456789abcdefghijklm'],
      trustedProxies: ['10.0.0.0/8', '::1'],
      policies: { expiryMinutes: 30, tolerancePercent: '0.5', allowTestPayments: false },
      sweepIntervalMs: 60_000,
      deliveryLog: { retentionDays: 7 },
      reconciliation: { schedule: '1m,10m,2h', intervalMs: 5_000 },
      webhooks: { retrySchedule: ['5s', '1m', '2h'], retentionDays: 7, dispatch: false, allowPrivateNetworks: false },
    });
  });

  it("enables the providers whose registrations' settings say so, with their options resolved by their modules", () => {
    const settings = resolveSettings(loadGatewayConfig({ ...LIVE, TRUST_PROXY: '10.0.0.0/8', BLOCKBEE_ALLOWED_IPS: '51.77.105.132' }), 3000);
    expect(settings.sandbox).toBe(false);
    expect(settings.providers).toEqual([
      {
        registration: blockbeeProvider,
        options: expect.objectContaining({ apiKey: 'abcdefgh12345678', allowlist: ['51.77.105.132'], trustedProxies: ['10.0.0.0/8'], apiBaseUrl: 'https://api.blockbee.io' }),
      },
    ]);
  });

  it('leaves every default to the modules in sandbox mode, with test payments, a local URL and a generated token', () => {
    const settings = resolveSettings(loadGatewayConfig({}), 4010);
    expect(settings.sandbox).toBe(true);
    expect(settings.providers).toEqual([]);
    expect(settings.modules.store).toEqual({ dataDir: './.data' });
    expect(settings.modules.idempotency).toEqual({ store: 'memory' });
    expect(settings.modules.payments).toEqual({
      publicUrl: 'http://127.0.0.1:4010',
      apiTokens: [settings.developmentToken],
      policies: { allowTestPayments: true },
      // The sandbox's webhook receivers are local.
      webhooks: { allowPrivateNetworks: true },
    });
  });

  it.each([
    [{ DATABASE_SCHEMA: 'Public; drop table invoices' }, 'DATABASE_SCHEMA must be a lower-case identifier of letters, digits and _ (at most 63)'],
    [{ ...LIVE, DATABASE_URL: 'mysql://root:hunter2@db/x' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
    [{ ...LIVE, REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL must be a redis:// or rediss:// URL'],
    [{ RECONCILE_SCHEDULE: '5m,2m' }, 'RECONCILE_SCHEDULE must be a comma-separated list of increasing durations'],
    [{ RECONCILE_INTERVAL_SECONDS: '-1' }, 'RECONCILE_INTERVAL_SECONDS must be a whole number of seconds from 0 (off) to 3600'],
    [{ IDEMPOTENCY_KEY_PREFIX: 'two words' }, 'IDEMPOTENCY_KEY_PREFIX must be 1 to 64 characters of A-Z a-z 0-9 . _ : -'],
    [{ IDEMPOTENCY_RETRY_MARGIN_MINUTES: '-1' }, 'IDEMPOTENCY_RETRY_MARGIN_MINUTES must be a whole number of minutes from 0 to 10080'],
    [{ IDEMPOTENCY_RECENT_OUTCOMES: '-5' }, 'IDEMPOTENCY_RECENT_OUTCOMES must be a whole number from 0 to 1000000'],
    [{ IDEMPOTENCY_LEASE_SECONDS: '3600', IDEMPOTENCY_RESULT_TTL_HOURS: '1' }, 'IDEMPOTENCY_LEASE_SECONDS must be shorter than IDEMPOTENCY_RESULT_TTL_HOURS'],
    [{ PUBLIC_URL: 'https://pay.example.test/?x=1' }, 'PUBLIC_URL must be the externally reachable http(s) base URL without query'],
    [{ API_TOKENS: 'aaaaaaaaaaaaaaaa' }, 'API_TOKENS must be comma-separated tokens of at least 32 random characters each'],
    [{ API_TOKENS: 'abababababababababababababababababab' }, 'API_TOKENS must be comma-separated tokens of at least 32 random characters each'],
    [{ API_TOKENS: 'live-token-0123456789abcdef' }, '(make one with openssl rand -hex 32)'],
    [{ API_TOKENS: 'short' }, 'API_TOKENS must be comma-separated tokens of at least 32 random characters each, visible ASCII without spaces or control characters (make one with openssl rand -hex 32)'],
    [{ TRUST_PROXY: '10.0.0.0/99' }, 'TRUST_PROXY must be comma-separated IP addresses or CIDR ranges (IPv4 prefix ≤ 32, IPv6 ≤ 128)'],
    [{ INVOICE_EXPIRY_MINUTES: '0' }, 'INVOICE_EXPIRY_MINUTES must be a whole number from 1 to'],
    [{ DELIVERY_LOG_RETENTION_DAYS: '-1' }, 'DELIVERY_LOG_RETENTION_DAYS must be a whole number of days from 0 (keep forever) to 36500'],
    [{ DELIVERY_LOG_RETENTION_DAYS: 'forever' }, 'DELIVERY_LOG_RETENTION_DAYS must be a whole number of days from 0 (keep forever) to 36500'],
    [{ PAYMENT_TOLERANCE_PERCENT: '150' }, 'PAYMENT_TOLERANCE_PERCENT must be a decimal percent from 0 to 100'],
    [{ WEBHOOK_RETRY_SCHEDULE: '5s,soon' }, 'WEBHOOK_RETRY_SCHEDULE must be comma-separated durations (at most 20), each a whole number with a unit ms, s, m, h or d'],
    [{ WEBHOOK_RETENTION_DAYS: '0' }, 'WEBHOOK_RETENTION_DAYS must be a whole number of days from 1 to 3650'],
    [{ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes' }, 'WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false'],
    [{ BLOCKONOMICS_CONFIRMATIONS: '6' }, 'BLOCKONOMICS_CONFIRMATIONS must be 0, 1 or 2'],
    [{ BLOCKONOMICS_API_URL: 'ftp://x' }, 'BLOCKONOMICS_API_URL must be an http(s) URL'],
    [{ BLOCKBEE_ALLOWED_IPS: '51.77.105.132,not-an-ip' }, 'BLOCKBEE_ALLOWED_IPS must be comma-separated IP addresses or CIDR ranges'],
    [{ ...LIVE, BLOCKBEE_API_KEY: 'abc123' }, 'BLOCKBEE_API_KEY must be the API key from the BlockBee dashboard'],
    [{ ...LIVE, BLOCKBEE_API_KEY: 'abcdefgh12345678', TRUST_PROXY: '10.0.0.0/99' }, 'TRUST_PROXY must be comma-separated IP addresses or CIDR ranges'],
    [{ BLOCKBEE_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nbm90LWEta2V5LWF0LWFsbA==\n-----END PUBLIC KEY-----' }, 'BLOCKBEE_PUBLIC_KEY must be a PEM-encoded RSA public key'],
  ])('refuses %j with the module\'s rule, named by the variable', (env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringContaining(message)]);
  });

  it('checks a provider\'s settings also when the provider is off (sandbox mode), and only those given', () => {
    expect(problemsOf({ BLOCKBEE_API_URL: 'not a url' })).toEqual(['BLOCKBEE_API_URL must be an http(s) URL such as https://api.blockbee.io']);
  });

  it('names every problem at once, one per variable, how it is written before what its module makes of it', () => {
    expect(problemsOf({ PORT: 'eighty', TRUST_PROXY: 'x', IDEMPOTENCY_LEASE_SECONDS: '0.5', DATABASE_SCHEMA: 'A' })).toEqual([
      'PORT must be a whole number from 0 to 65535',
      'IDEMPOTENCY_LEASE_SECONDS must be a whole number of seconds from 2 to 3600',
      'DATABASE_SCHEMA must be a lower-case identifier of letters, digits and _ (at most 63)',
      'TRUST_PROXY must be comma-separated IP addresses or CIDR ranges (IPv4 prefix ≤ 32, IPv6 ≤ 128)',
    ]);
  });

  it('says what live mode needs, and never echoes a secret', () => {
    const secret = 'leaky-secret-value';
    expect(problemsOf({ BLOCKONOMICS_API_KEY: 'abcdefgh12345678', BLOCKONOMICS_CALLBACK_SECRET: secret })).toEqual([
      'PUBLIC_URL is required when a provider API key is set: the URL providers call back',
      'API_TOKENS is required when a provider API key is set (sandbox mode generates one)',
      expect.stringMatching(/^BLOCKONOMICS_CALLBACK_SECRET must be at least 32 random characters/),
    ]);
    expect(problemsOf({ BLOCKONOMICS_API_KEY: 'abcdefgh12345678' })).toContain('BLOCKONOMICS_CALLBACK_SECRET is required when BLOCKONOMICS_API_KEY is set');
    expect(problemsOf({ BLOCKONOMICS_API_KEY: 'abc123', BLOCKONOMICS_CALLBACK_SECRET: secret }).join('\n')).not.toContain('abc123');
    expect(problemsOf({ BLOCKONOMICS_API_KEY: 'abcdefgh12345678', BLOCKONOMICS_CALLBACK_SECRET: secret }).join('\n')).not.toContain(secret);
    expect(problemsOf({ DATABASE_URL: 'mysql://root:hunter2@db/x' }).join('\n')).not.toContain('hunter2');
  });

  it('accepts a live configuration the modules accept', () => {
    const publicKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(problemsOf({ ...LIVE, BLOCKBEE_PUBLIC_KEY: publicKey, BLOCKBEE_ALLOWED_IPS: '51.77.105.132/32,2001:db8::/32', TRUST_PROXY: '10.0.0.0/8' })).toEqual([]);
  });

  it("reads the providers' variables from CONFIG_FILE too, and refuses unknown ones", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gateway-config-')), 'gateway.json');
    writeFileSync(file, JSON.stringify({ ...LIVE, BLOCKBEE_ALLOWED_IPS: ['51.77.105.132', '135.125.112.47'] }));
    const config = loadGatewayConfig({ CONFIG_FILE: file });
    expect(config.providers.map(({ registration, options }) => [registration.name, (options as { allowlist: string[] }).allowlist])).toEqual([
      ['blockbee', ['51.77.105.132', '135.125.112.47']],
    ]);
    writeFileSync(file, JSON.stringify({ BLOCKBEE_APIKEY: 'typo' }));
    expect(() => loadGatewayConfig({ CONFIG_FILE: file })).toThrow('CONFIG_FILE: unknown settings BLOCKBEE_APIKEY');
  });

  it('is documented: docs/configuration.md names every variable, the providers\' from their registrations', () => {
    const docs = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    const variables = [...Object.keys(new GatewayConfig()), ...PROVIDERS.flatMap(({ settings }) => settings.map(({ variable }) => variable))];
    expect(variables.filter((variable) => !docs.includes(`| \`${variable}\` |`))).toEqual([]);
  });

  describe('the mode (issue 18 §2)', () => {
    const PRODUCTION = {
      PUBLIC_URL: 'https://pay.example.com',
      API_TOKENS: 'a3f1c9e07b5d2468ace13579bdf02468',
      DATABASE_URL: 'postgresql://app@db.internal:5432/pay',
      REDIS_URL: 'redis://cache.internal:6379',
      BLOCKONOMICS_CALLBACK_SECRET: 'c0ffee1234567890abcdef1234567890',
    };

    it('refuses to start a sandbox on production settings without MODE (an API key left empty), naming each', () => {
      expect(problemsOf({ ...PRODUCTION, BLOCKONOMICS_API_KEY: '' })).toEqual([
        'MODE is not set and no provider API key is set, so the gateway would start in sandbox mode, but PUBLIC_URL, DATABASE_URL, REDIS_URL, BLOCKONOMICS_CALLBACK_SECRET are set as for production: set MODE=live with a provider API key, or remove them (MODE=sandbox allows a DATABASE_URL and REDIS_URL on this host only)',
      ]);
    });

    it('refuses MODE=sandbox with a public URL or host, a provider credential, or a database or Redis off this host', () => {
      expect(problemsOf({ ...PRODUCTION, MODE: 'sandbox', HOST: '0.0.0.0', BLOCKBEE_API_KEY: 'abcdefgh12345678' }).map((problem) => problem.split(' ')[0])).toEqual([
        'PUBLIC_URL',
        'HOST',
        'DATABASE_URL',
        'REDIS_URL',
        'BLOCKONOMICS_CALLBACK_SECRET',
        'BLOCKBEE_API_KEY',
      ]);
    });

    it('runs MODE=sandbox on a database and Redis of this host, bound to 127.0.0.1', () => {
      const config = loadGatewayConfig({ MODE: 'sandbox', DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test', REDIS_URL: 'redis://localhost:6379/2', PUBLIC_URL: 'http://[::1]:3000' });
      const settings = resolveSettings(config, 3000);
      expect([settings.sandbox, settings.host]).toEqual([true, '127.0.0.1']);
    });

    it('is live with a provider API key, bound to 0.0.0.0 unless HOST says otherwise', () => {
      expect(resolveSettings(loadGatewayConfig(LIVE), 3000)).toMatchObject({ sandbox: false, host: '0.0.0.0' });
      expect(resolveSettings(loadGatewayConfig({ ...LIVE, MODE: 'live', HOST: '10.0.0.5' }), 3000)).toMatchObject({ sandbox: false, host: '10.0.0.5' });
    });

    it('refuses MODE=live without a provider, and a MODE or HOST that is none', () => {
      expect(problemsOf({ MODE: 'live', API_TOKENS: PRODUCTION.API_TOKENS, PUBLIC_URL: PRODUCTION.PUBLIC_URL })).toEqual(['MODE=live needs a provider enabled: set BLOCKONOMICS_API_KEY or BLOCKBEE_API_KEY']);
      expect(problemsOf({ MODE: 'production' })).toEqual(['MODE must be sandbox or live']);
      expect(problemsOf({ HOST: 'example.com' })).toEqual(['HOST must be an IP address to listen on, like 0.0.0.0, 127.0.0.1 or ::']);
    });
  });

  describe('network exposure (issue 18 §3)', () => {
    it.each(['0.0.0.0/0', '::/0', '10.0.0.0/8,0.0.0.0/0'])('refuses TRUST_PROXY=%s: it would believe every X-Forwarded-For', (ranges) => {
      expect(problemsOf({ TRUST_PROXY: ranges })).toEqual([expect.stringMatching(/^TRUST_PROXY must not trust every address \((0\.0\.0\.0|::)\/0\)/)]);
    });

    it('warns of trusted ranges wider than /8 or /32, or holding public addresses, and not of private ones', () => {
      expect(trustProxyWarnings(['10.0.0.0/8', '192.168.1.10', 'fd00:1234::/48', '::1', '8.0.0.0/7', '2001:db8::/16', '203.0.113.0/24', '172.32.0.1'])).toEqual([
        expect.stringMatching(/^TRUST_PROXY 8\.0\.0\.0\/7 is wider than \/8/),
        expect.stringMatching(/^TRUST_PROXY 2001:db8::\/16 is wider than \/32/),
        expect.stringMatching(/^TRUST_PROXY 203\.0\.113\.0\/24 holds public addresses/),
        expect.stringMatching(/^TRUST_PROXY 172\.32\.0\.1 holds public addresses/),
      ]);
    });

    it('serves the API docs in sandbox mode, not in live mode unless API_DOCS=true', () => {
      expect(resolveSettings(loadGatewayConfig({}), 3000).apiDocs).toBe(true);
      expect(resolveSettings(loadGatewayConfig({ API_DOCS: 'false' }), 3000).apiDocs).toBe(false);
      expect(resolveSettings(loadGatewayConfig(LIVE), 3000).apiDocs).toBe(false);
      expect(resolveSettings(loadGatewayConfig({ ...LIVE, API_DOCS: 'true' }), 3000).apiDocs).toBe(true);
    });

    it('refuses a short METRICS_TOKEN and an API_DOCS that is no boolean', () => {
      expect(problemsOf({ METRICS_TOKEN: 'metrics', API_DOCS: 'yes' })).toEqual([
        'API_DOCS must be true or false',
        'METRICS_TOKEN must be at least 32 visible ASCII characters without spaces (make one with openssl rand -hex 32)',
      ]);
    });

    it('puts the admin listener on ADMIN_PORT, bound to 127.0.0.1 unless ADMIN_HOST says otherwise; none without ADMIN_PORT', () => {
      expect(resolveSettings(loadGatewayConfig(LIVE), 3000).admin).toBeNull();
      expect(resolveSettings(loadGatewayConfig({ ...LIVE, ADMIN_PORT: '9090' }), 3000).admin).toEqual({ port: 9090, host: '127.0.0.1' });
      expect(resolveSettings(loadGatewayConfig({ ...LIVE, ADMIN_PORT: '9090', ADMIN_HOST: '0.0.0.0' }), 3000).admin).toEqual({ port: 9090, host: '0.0.0.0' });
    });

    it.each([['nine'], ['70000'], ['-1'], ['3000']])('refuses ADMIN_PORT=%s, naming it', (port) => {
      expect(problemsOf({ ADMIN_PORT: port, PORT: '3000' })).toEqual([expect.stringMatching(/^ADMIN_PORT must be a whole number from 0 to 65535, other than PORT/)]);
    });

    it('refuses an ADMIN_HOST that is no address, and one without ADMIN_PORT', () => {
      expect(problemsOf({ ADMIN_PORT: '9090', ADMIN_HOST: 'localhost' })).toEqual(['ADMIN_HOST must be an IP address to listen on, like 127.0.0.1 or 0.0.0.0']);
      expect(problemsOf({ ADMIN_HOST: '127.0.0.1' })).toEqual(['ADMIN_HOST is set without ADMIN_PORT: set ADMIN_PORT too, or leave ADMIN_HOST out']);
    });
  });
});
