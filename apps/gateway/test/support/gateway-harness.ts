import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Invoice } from '@cryptopay/invoice';
import { DeliveryLogWriter, ExpirySweep, PAYMENTS_STORE } from '@cryptopay/nest';
import { type Store } from '@cryptopay/store';
import { RedisServerProcess, testDatabaseUrl, testRedisUrl } from '@cryptopay/test-servers';
import { EventEmitter2 } from '@nestjs/event-emitter';
import pg from 'pg';
import { loadGatewayConfig } from '../../src/config/load-config.js';
import { type Gateway, startGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logging/pino-logger.js';
import { type Logger } from 'pino';
import { type BlockBeeSandbox } from '@cryptopay/provider-blockbee/simulator';
import { type BlockonomicsSandbox } from '@cryptopay/provider-blockonomics/simulator';
import { afterAll, beforeAll } from '@jest/globals';

export const REDIS_URL = testRedisUrl();
export const DATABASE_URL = testDatabaseUrl();

const schemas: string[] = [];

/** A fresh database per gateway: a temporary PGlite directory, or a schema of its own in PostgreSQL. */
export function databaseEnv(kind: 'PGlite' | 'PostgreSQL'): Record<string, string> {
  if (kind === 'PGlite') return { DATA_DIR: mkdtempSync(join(tmpdir(), 'gateway-e2e-')) };
  const schema = `gateway_e2e_${process.pid}_${schemas.length + 1}`;
  schemas.push(schema);
  return { DATABASE_URL, DATABASE_SCHEMA: schema };
}

export interface OwnRedisSuite {
  readonly gw: GatewayHarness;
  /** The suite's own redis-server: a test may stop, start or flush it. */
  readonly redis: RedisServerProcess;
}

/** A suite's gateway on PostgreSQL with a Redis of its own: started before its tests, everything stopped and dropped after. */
export function useGatewayWithOwnRedis(): () => OwnRedisSuite {
  let suite: OwnRedisSuite | undefined;
  beforeAll(async () => {
    const redis = await RedisServerProcess.start();
    suite = { redis, gw: await GatewayHarness.start({ ...databaseEnv('PostgreSQL'), REDIS_URL: redis.url }) };
  });
  afterAll(async () => {
    await suite?.gw.close();
    await suite?.redis.stop();
    await dropTestSchemas();
  });
  return () => {
    if (!suite) throw new Error('the suite starts in beforeAll');
    return suite;
  };
}

/** Drops the PostgreSQL schemas `databaseEnv` handed out in this test file; call it once its gateways are closed. */
export async function dropTestSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    for (const schema of schemas.splice(0)) await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

export type InvoiceBody = Record<string, unknown> & { id: string; address: string; amountDue: string; status: string; payments: Record<string, unknown>[] };

/** The real gateway, in-process, listening on a free port, plus helpers to drive it over HTTP. */
export class GatewayHarness {
  readonly events: { type: string; invoiceId: string }[] = [];

  private constructor(readonly gateway: Gateway) {
    gateway.app.get(EventEmitter2).onAny((type: string | string[], event: { invoiceId: string }) => {
      this.events.push({ type: String(type), invoiceId: event.invoiceId });
    });
  }

  /** `logger`: where its log goes (nowhere by default). */
  static async start(env: Record<string, string>, logger: Logger = createLogger('silent')): Promise<GatewayHarness> {
    // The sweep runs when a test says so (`sweep()`), unless the test sets its own schedule.
    // Sandbox mode on the test PostgreSQL and Redis (on this host) is asked for, as MODE=sandbox allows.
    const mode = Object.keys(env).some((name) => name.endsWith('_API_KEY')) ? {} : { MODE: 'sandbox' };
    const config = loadGatewayConfig({ PORT: '0', EXPIRY_SWEEP_SECONDS: '3600', ...mode, ...env });
    return new GatewayHarness(await startGateway(config, logger));
  }

  get url(): string {
    return this.gateway.url;
  }

  get token(): string {
    return this.gateway.settings.apiTokens[0] ?? '';
  }

  /** The providers' sandboxes, their simulators at hand (sandbox mode only). */
  get sandbox(): { readonly blockonomics: BlockonomicsSandbox; readonly blockbee: BlockBeeSandbox } {
    const running = this.gateway.sandbox;
    if (!running) throw new Error('not in sandbox mode');
    return { blockonomics: running.of('blockonomics') as BlockonomicsSandbox, blockbee: running.of('blockbee') as BlockBeeSandbox };
  }

  get store(): Store {
    return this.gateway.app.get<Store>(PAYMENTS_STORE);
  }

  request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) };
    return fetch(`${this.url}${path}`, { ...init, headers });
  }

  async createInvoice(provider: string, amount = '25.00', extra: Record<string, unknown> = {}): Promise<InvoiceBody> {
    const res = await this.request('/v1/invoices', { method: 'POST', body: JSON.stringify({ provider, amount, currency: 'USD', orderId: `order-${provider}-${Date.now()}`, ...extra }) });
    if (res.status !== 201) throw new Error(`invoice not created: ${res.status} ${await res.text()}`);
    return (await res.json()) as InvoiceBody;
  }

  async invoice(id: string): Promise<InvoiceBody> {
    const res = await this.request(`/v1/invoices/${id}`);
    if (res.status !== 200) throw new Error(`invoice ${id}: ${res.status}`);
    return (await res.json()) as InvoiceBody;
  }

  /** Writes this instance's queued callback log entries (its own `/v1/deliveries` does so too). */
  flushDeliveryLog(): Promise<void> {
    return this.gateway.app.get(DeliveryLogWriter).flush();
  }

  async deliveries(query: string): Promise<{ verdict: string; responseStatus: number; target: string; reason: string | null }[]> {
    const res = await this.request(`/v1/deliveries?${query}`);
    return ((await res.json()) as { deliveries: { verdict: string; responseStatus: number; target: string; reason: string | null }[] }).deliveries;
  }

  /** Moves an invoice's expiry into the past, as if the clock had run on (the rules compare against `now`). */
  async expire(id: string, minutesAgo = 1): Promise<void> {
    const stored = (await this.store.invoices.findById(id)) as Invoice;
    await this.store.invoices.update({ ...stored, expiresAt: new Date(Date.now() - minutesAgo * 60_000), version: stored.version + 1 });
  }

  sweep(): Promise<number> {
    return this.gateway.app.get(ExpirySweep).sweep();
  }

  eventsFor(invoiceId: string): string[] {
    return this.events.filter((event) => event.invoiceId === invoiceId).map((event) => event.type);
  }

  close(): Promise<void> {
    return this.gateway.close();
  }
}

/** Base units of an amount written in coin units with 8 decimals ("0.00038988" → 38988n). */
export function satoshi(amount: string): bigint {
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole + fraction.padEnd(8, '0'));
}
