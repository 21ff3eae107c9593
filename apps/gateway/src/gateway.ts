import 'reflect-metadata';
import { type Server } from 'node:http';
import { createServer } from 'node:net';
import { ProviderRegistry, redactTarget } from '@cryptopay/nest';
import { createStore } from '@cryptopay/store';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { type Logger } from 'pino';
import { GatewayModule } from './app.module.js';
import { answerClientErrors } from './http/client-errors.js';
import { type GatewayConfig } from './config/gateway-config.js';
import { type GatewaySettings, resolveSettings } from './config/runtime.js';
import { accessLog, createLogger, nestLogging } from './logging/pino-logger.js';
import { PROVIDERS } from './providers.js';
import { type SandboxProviders } from './sandbox/sandbox-providers.js';
import { requireCredentialKeys } from './merchants/credential-keys-required.js';

export interface Gateway {
  readonly app: INestApplication;
  readonly settings: GatewaySettings;
  readonly sandbox: SandboxProviders | null;
  readonly logger: Logger;
  /** Where the gateway listens, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** `app.close()` (stops accepting, lets in-flight requests finish, then closes Redis and the database), then the simulators. */
  close(): Promise<void>;
}

/** Starts the gateway: store (migrated), simulators in sandbox mode, the Nest app, listening. */
export async function startGateway(config: GatewayConfig, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<Gateway> {
  const port = config.PORT === 0 ? await freePort() : config.PORT;
  const settings = resolveSettings(config, port);
  const store = await createStore(settings.modules.store);
  const sandbox = settings.sandbox ? await startSimulators(settings) : null;
  try {
    await store.migrateToLatest();
    await requireCredentialKeys(settings, store);
    const app = await NestFactory.create<NestExpressApplication>({ imports: [GatewayModule.forRoot({ settings, store, sandbox }), nestLogging(logger)] }, { bufferLogs: true });
    app.useLogger(app.get(NestPinoLogger));
    const providers = app.get(ProviderRegistry);
    app.use(accessLog(logger, (target) => redactTarget(target, providers.secrets().queryParams)));
    setUpOpenApi(app);
    answerClientErrors(app.getHttpServer() as Server, logger);
    await app.listen(port, '0.0.0.0');
    const close = async () => {
      await app.close();
      await sandbox?.close();
    };
    return { app, settings, sandbox, logger, url: `http://127.0.0.1:${port}`, close };
  } catch (error) {
    await Promise.allSettled([store.close(), sandbox?.close()]);
    throw error;
  }
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
