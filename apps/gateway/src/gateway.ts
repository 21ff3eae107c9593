import 'reflect-metadata';
import { type Server } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { IDEMPOTENCY_STORE } from '@cryptopay/idempotency';
import { PaymentsMetrics, ProviderRegistry, redactTarget } from '@cryptopay/nest';
import { Secret } from '@cryptopay/provider-kit';
import { createStore } from '@cryptopay/store';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type onRequestHookHandler } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { type Logger } from 'pino';
import { GatewayModule } from './app.module.js';
import { closeAdmin, listenAdmin, separateAdminPaths } from './http/admin-listener.js';
import { answerClientErrors } from './http/client-errors.js';
import { acceptEmptyJsonBodies, fastifyOf, gatewayHttpAdapter, useRequestLogging } from './http/fastify-http.js';
import { type GatewayConfig } from './config/gateway-config.js';
import { trustProxyWarnings } from './config/network-exposure.js';
import { type GatewaySettings, resolveSettings } from './config/runtime.js';
import { AccessLog } from './logging/access-log.js';
import { createLogger, nestLogging } from './logging/pino-logger.js';
import { PROVIDERS } from './providers.js';
import { type SandboxProviders } from './sandbox/sandbox-providers.js';
import { prepareSchema } from './deploy/migration-step.js';
import { operatorMetrics } from './deploy/operator-metrics.js';
import { ShutdownReadiness } from './deploy/shutdown-readiness.js';
import { requireCredentialKeys } from './merchants/credential-keys-required.js';

export interface Gateway {
  readonly app: INestApplication;
  readonly settings: GatewaySettings;
  readonly sandbox: SandboxProviders | null;
  readonly logger: Logger;
  /** Where the gateway listens, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** Where `/health*`, `/metrics` and `/docs*` are served with ADMIN_PORT (e.g. `http://127.0.0.1:9090`); null: at `url`. */
  readonly adminUrl: string | null;
  /** The first step of shutting down: readiness answers 503 from now on; everything else is still served. */
  drain(): void;
  /**
   * `app.close()` (stops accepting, lets in-flight requests finish, then closes Redis and the
   * database), then the admin listener (probes are answered until the end), then the simulators.
   */
  close(): Promise<void>;
}

/** Starts the gateway: store (migrated), simulators in sandbox mode, the Nest app, listening. */
export async function startGateway(config: GatewayConfig, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<Gateway> {
  const port = config.PORT === 0 ? await freePort() : config.PORT;
  const settings = resolveSettings(config, port);
  const store = await createStore(settings.modules.store);
  const sandbox = settings.sandbox ? await startSimulators(settings) : null;
  try {
    await prepareSchema(store, config.MIGRATE_ON_START === 'true', logger);
    await requireCredentialKeys(settings, store);
    const accessLog = new AccessLog();
    const app = await NestFactory.create<NestFastifyApplication>(
      { imports: [GatewayModule.forRoot({ settings, store, sandbox }), nestLogging(logger)] },
      // Longer than the load balancer's idle timeout, so the balancer, not the gateway, closes idle connections.
      gatewayHttpAdapter(logger, accessLog, config.KEEP_ALIVE_TIMEOUT_SECONDS * 1_000),
      { bufferLogs: true },
    );
    app.useLogger(app.get(NestPinoLogger));
    const http = fastifyOf(app);
    acceptEmptyJsonBodies(app);
    if (settings.admin) http.addHook('onRequest', separateAdminPaths);
    const readiness = new ShutdownReadiness();
    http.addHook('onRequest', readiness.gate);
    if (settings.config.METRICS_TOKEN !== undefined) http.addHook('onRequest', metricsAuth(new Secret(settings.config.METRICS_TOKEN)));
    http.addHook('onResponse', operatorMetrics(app.get(PaymentsMetrics), store, app.get(IDEMPOTENCY_STORE)));
    const providers = app.get(ProviderRegistry);
    // Read per request: the registry is filled when the app initializes (in listen).
    accessLog.redactUrlsWith((target) => redactTarget(target, providers.secrets().queryParams, providers.secrets().values));
    useRequestLogging(app, accessLog);
    if (settings.apiDocs) setUpOpenApi(app);
    for (const warning of trustProxyWarnings(settings.modules.payments.trustedProxies ?? [])) logger.warn(warning);
    const server = app.getHttpServer() as Server;
    server.headersTimeout = server.keepAliveTimeout + 1_000;
    await app.listen(port, settings.host);
    const admin = settings.admin && (await listenAdmin((req, res) => http.routing(req, res), settings.admin.port, settings.admin.host).catch(closing(app)));
    if (admin) answerClientErrors(admin, logger);
    const close = async () => {
      await app.close();
      if (admin) await closeAdmin(admin);
      await sandbox?.close();
    };
    const adminUrl = admin && settings.admin ? `http://${reachableHost(settings.admin.host)}:${(admin.address() as AddressInfo).port}` : null;
    return { app, settings, sandbox, logger, url: `http://${reachableHost(settings.host)}:${port}`, adminUrl, drain: () => readiness.drain(), close };
  } catch (error) {
    await Promise.allSettled([store.close(), sandbox?.close()]);
    throw error;
  }
}

/** The admin port cannot be had (in use): the public listener, already open, is closed before the failure is told. */
function closing(app: INestApplication): (error: unknown) => Promise<never> {
  return async (error) => {
    await app.close();
    throw error;
  };
}

/** `/metrics` shows sales volume and versions: with METRICS_TOKEN, only to its bearer. */
function metricsAuth(token: Secret): onRequestHookHandler {
  return (request, reply, done) => {
    if (request.routeOptions.url !== '/metrics') return done();
    const header = request.headers.authorization ?? '';
    if (header.startsWith('Bearer ') && token.matches(header.slice('Bearer '.length))) return done();
    reply.code(401).headers({ 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' }).send('/metrics needs Authorization: Bearer <METRICS_TOKEN>');
  };
}

/** Imported here, so a live gateway never loads the sandbox's code. */
async function startSimulators(settings: GatewaySettings): Promise<SandboxProviders> {
  const { SandboxProviders } = await import('./sandbox/sandbox-providers.js');
  return SandboxProviders.start(settings.common);
}

function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('cryptopay gateway')
      .setDescription(`Crypto payment invoices over ${PROVIDERS.map(({ name }) => name).join(', ')}, behind one invoice model.`)
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
}

/** Where this host reaches the listener: loopback for a wildcard address. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
