import 'reflect-metadata';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadGatewayConfig } from './config/load-config.js';
import { type Gateway, startGateway } from './gateway.js';
import { createLogger, flushLogger } from './logging/pino-logger.js';

/** Longest a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 8_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadGatewayConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`cryptopay gateway: ${error.message}\nSee docs/configuration.md.\n`);
    process.exit(2);
  }
  const logger = createLogger(config.LOG_LEVEL);
  let gateway: Gateway | null = null;
  // Registered before start-up, so a signal during it (a slow database) still stops the process.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => (gateway ? void shutDown(gateway, signal) : process.exit(1)));
  }
  gateway = await startGateway(config, logger);
  announce(gateway);
}

function announce(gateway: Gateway): void {
  const { settings, logger } = gateway;
  const idempotency = settings.config.REDIS_URL ? 'redis' : 'in-memory (single instance only: set REDIS_URL to run several)';
  const database = settings.config.DATABASE_URL ? 'postgresql' : `embedded PGlite in ${settings.config.DATA_DIR}`;
  const providers = (gateway.sandbox?.providers ?? settings.providers).map(({ registration }) => registration.name);
  logger.info({ url: gateway.url, publicUrl: settings.publicUrl, sandbox: settings.sandbox, providers, database, idempotency }, 'cryptopay gateway listening');
  if (!settings.sandbox) return;
  const token = settings.developmentToken ?? settings.apiTokens[0] ?? '';
  // The sandbox CLI reads this file to find the gateway and its token.
  mkdirSync(settings.config.DATA_DIR, { recursive: true });
  writeFileSync(join(settings.config.DATA_DIR, 'sandbox.json'), JSON.stringify({ url: gateway.url, token }), { mode: 0o600 });
  process.stdout.write(
    [
      '',
      `Sandbox mode: no provider API key is set, so the simulators of ${providers.join(', ')} run in-process.`,
      `  API:             ${gateway.url}  (OpenAPI: ${gateway.url}/docs)`,
      settings.developmentToken ? `  Development token (API_TOKENS is not set): ${settings.developmentToken}` : '  API token: the first of API_TOKENS',
      `  Pay an invoice:  pnpm --filter @cryptopay/gateway sandbox pay <invoiceId> [--partial|--twice|--rbf]`,
      '',
    ].join('\n') + '\n',
  );
}

async function shutDown(gateway: Gateway, signal: string): Promise<void> {
  gateway.logger.info({ signal }, 'shutting down: finishing in-flight requests');
  const deadline = setTimeout(() => {
    gateway.logger.error('shutdown took too long; exiting');
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS);
  deadline.unref();
  await gateway.close();
  gateway.logger.info('shut down cleanly');
  await flushLogger(gateway.logger);
  process.exit(0);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`cryptopay gateway: ${error.message}\nSee docs/configuration.md.\n`);
    process.exit(2);
  }
  process.stderr.write(`cryptopay gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
