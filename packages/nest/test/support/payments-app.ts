import 'reflect-metadata';
import { IdempotencyModule } from '@cryptopay/idempotency';
import { createStore, type Store } from '@cryptopay/store';
import { type INestApplication, type LoggerService } from '@nestjs/common';
import pg from 'pg';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll } from '@jest/globals';
import { testDatabaseUrl } from '@cryptopay/test-servers';
import { type CheckoutOptions, type DeliveryLogOptions, type MerchantsOptions, PaymentsMetrics, PaymentsModule, type WebhookOptions } from '../../src/index.js';
import { TestPayModule } from './test-provider.js';

export const API_TOKEN = 'test-api-token-0123456789abcdefghij';
export const PUBLIC_URL = 'https://pay.example.test';
/** The invoice and deliveries APIs' credentials. */
export const AUTH = { Authorization: `Bearer ${API_TOKEN}` };
/** For `describe.each`: the embedded database, and a schema of its own on the shared PostgreSQL server. */
export const DATABASES = [
  ['PGlite', undefined],
  ['PostgreSQL', testDatabaseUrl()],
] as const;

let apps = 0;

/**
 * The Nest platform the suite's apps run on: Express, or Fastify with `NEST_PLATFORM=fastify` (the
 * package's `test:fastify`): the module must serve the same answers on both.
 */
export const PLATFORM = process.env['NEST_PLATFORM'] === 'fastify' ? 'fastify' : 'express';
/**
 * Routing as Express's defaults (a trailing slash ignored, any letter case, a path segment of any
 * length up to what the suites send), so the same requests reach the same routes: as the gateway routes.
 */
const FASTIFY_ROUTING = { routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 2_048 } };

/** The start of the body a callback refused before authentication keeps: its summary's lines after the first. */
export function summarizedBody(stored: string): string {
  if (!stored.startsWith('[refused before authentication: ')) throw new Error(`not a refused callback's summary: ${stored.slice(0, 80)}`);
  return stored.slice(stored.indexOf('\n') + 1);
}

export interface PaymentsTestApp {
  readonly app: INestApplication;
  readonly store: Store;
  /** The PostgreSQL schema of this app (null on PGlite). */
  readonly schema: string | null;
  /** Closes the app and drops its PostgreSQL schema. */
  close(): Promise<void>;
}

export interface PaymentsTestAppOptions {
  readonly databaseUrl?: string;
  readonly redisUrl?: string;
  readonly deliveryLog?: DeliveryLogOptions;
  /** The module's trustedProxies (none by default). */
  readonly trustedProxies?: readonly string[];
  /** The module's sweepIntervalMs (0 by default: no sweep runs unless a test calls it). */
  readonly sweepIntervalMs?: number;
  /** Outbound webhooks; the test apps allow endpoints on private networks (their receivers are local) unless told. */
  readonly webhooks?: WebhookOptions;
  /** Receives Nest's log lines (none are kept by default). */
  readonly logger?: LoggerService;
  /** Many merchants (API keys need its credentialKeys; off unless given). */
  readonly merchants?: MerchantsOptions;
  /** The hosted checkout page's options (off unless given). */
  readonly checkout?: CheckoutOptions;
  /** What the embedding app sets up before it starts (a global prefix, interceptors, middleware). */
  readonly configure?: (app: INestApplication) => void;
}

/** The payments module in a Nest app over a real store (PGlite in memory, or PostgreSQL) and a real Redis. */
export async function startPaymentsApp(options: PaymentsTestAppOptions = {}): Promise<PaymentsTestApp> {
  // A schema of its own per app, so suites sharing the test database never see each other's rows.
  const schema = `nest_${process.pid}_${(apps += 1)}`;
  const store = await createStore(options.databaseUrl ? { databaseUrl: options.databaseUrl, schema } : {});
  await store.migrateToLatest();
  const metrics = new PaymentsMetrics();
  const moduleRef = await Test.createTestingModule({
    imports: [
      EventEmitterModule.forRoot(),
      // The async form, as an app reading its configuration would use (the gateway uses forRoot).
      PaymentsModule.forRootAsync({
        providers: [{ module: TestPayModule }],
        ...(options.checkout ? { checkout: options.checkout } : {}),
        idempotency: IdempotencyModule.forRoot(
          options.redisUrl
            ? { store: 'redis', redisUrl: options.redisUrl, keyPrefix: `test:${Date.now()}:${Math.random()}`, metrics: metrics.idempotencyHooks() }
            : { store: 'memory', metrics: metrics.idempotencyHooks() },
        ),
        useFactory: async () => ({
          store,
          metrics,
          publicUrl: PUBLIC_URL,
          apiTokens: [API_TOKEN],
          policies: { allowTestPayments: true },
          sweepIntervalMs: options.sweepIntervalMs ?? 0,
          ...(options.trustedProxies ? { trustedProxies: options.trustedProxies } : {}),
          // Tests run the reconciler themselves (Reconciler.reconcileDue), at the times they choose.
          reconciliation: { intervalMs: 0 },
          ...(options.deliveryLog ? { deliveryLog: options.deliveryLog } : {}),
          webhooks: { allowPrivateNetworks: true, ...options.webhooks },
          ...(options.merchants ? { merchants: options.merchants } : {}),
        }),
      }),
    ],
  }).compile();
  const nestOptions = { logger: options.logger ?? false } as const;
  const app = PLATFORM === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter(FASTIFY_ROUTING), nestOptions) : moduleRef.createNestApplication(nestOptions);
  options.configure?.(app);
  await app.init();
  // Fastify takes requests once its plugins are loaded (supertest calls the server directly).
  if (PLATFORM === 'fastify') await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  const databaseUrl = options.databaseUrl;
  return {
    app,
    store,
    schema: databaseUrl ? schema : null,
    async close() {
      await app.close();
      if (databaseUrl) await dropSchema(databaseUrl, schema);
    },
  };
}

/** A suite's app: started before its tests, closed (its schema dropped) after them. */
export function usePaymentsApp(options: PaymentsTestAppOptions = {}): () => PaymentsTestApp {
  let harness: PaymentsTestApp | undefined;
  beforeAll(async () => {
    harness = await startPaymentsApp(options);
  });
  afterAll(async () => {
    await harness?.close();
  });
  return () => {
    if (!harness) throw new Error('the app starts in beforeAll');
    return harness;
  };
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}
