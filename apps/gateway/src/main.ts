import 'reflect-metadata';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, loadGatewayConfig } from './config/load-config.js';
import { type Gateway, startGateway } from './gateway.js';
import { startFailure } from './deploy/start-failure.js';
import { createLogger, flushLogger } from './logging/pino-logger.js';

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
  logger.info({ url: gateway.url, adminUrl: gateway.adminUrl, publicUrl: settings.publicUrl, sandbox: settings.sandbox, providers, database, idempotency }, 'cryptopay gateway listening');
  if (!settings.sandbox) return;
  const token = settings.developmentToken ?? settings.apiTokens[0] ?? '';
  // The sandbox CLI reads this file to find the gateway and its token.
  mkdirSync(settings.config.DATA_DIR, { recursive: true });
  writeFileSync(join(settings.config.DATA_DIR, 'sandbox.json'), JSON.stringify({ url: gateway.url, token }), { mode: 0o600 });
  process.stdout.write(
    [
      '',
      `Sandbox mode: no provider API key is set, so the simulators of ${providers.join(', ')} run in-process.`,
      `  API:             ${gateway.url}  (OpenAPI: ${gateway.adminUrl ?? gateway.url}/docs)`,
      settings.developmentToken ? `  Development token (API_TOKENS is not set): ${settings.developmentToken}` : '  API token: the first of API_TOKENS',
      `  Pay an invoice:  pnpm --filter @cryptopay/gateway sandbox pay <invoiceId> [--partial|--twice|--rbf]`,
      '',
    ].join('\n') + '\n',
  );
}

/**
 * A rolling restart's stop: readiness turns 503 at once, the listener closes SHUTDOWN_DELAY_SECONDS
 * later (once load balancers stopped sending; SIGTERM only), then in-flight requests have SHUTDOWN_TIMEOUT_SECONDS.
 */
async function shutDown(gateway: Gateway, signal: string): Promise<void> {
  const { SHUTDOWN_DELAY_SECONDS, SHUTDOWN_TIMEOUT_SECONDS: timeout } = gateway.settings.config;
  // SIGINT is a person at a terminal (Ctrl-C), not a load balancer to wait for.
  const delay = signal === 'SIGTERM' ? SHUTDOWN_DELAY_SECONDS : 0;
  gateway.logger.info({ signal, delaySeconds: delay }, 'shutting down: readiness answers 503; the listener closes after the delay');
  gateway.drain();
  await sleep(delay * 1_000);
  gateway.logger.info({ timeoutSeconds: timeout }, 'closing the listener: finishing in-flight requests');
  const deadline = setTimeout(() => {
    gateway.logger.error({ timeoutSeconds: timeout }, 'shutdown took longer than SHUTDOWN_TIMEOUT_SECONDS; exiting');
    process.exit(1);
  }, timeout * 1_000);
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
  process.stderr.write(`cryptopay gateway failed to start: ${startFailure(error)}\n`);
  process.exit(1);
});
