/**
 * The gateway's operator commands, run with the gateway's own configuration (environment, CONFIG_FILE):
 *   cli rotate-credentials   re-wrap merchants' data keys under the first key of CREDENTIALS_KEYS
 */
import 'reflect-metadata';
import { ConfigError, loadGatewayConfig } from '../config/load-config.js';
import { rotateCredentials } from './rotate-credentials.js';

const USAGE = 'usage: cli rotate-credentials';

async function main(command: string | undefined): Promise<void> {
  if (command !== 'rotate-credentials') {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  process.stdout.write(`${await rotateCredentials(loadGatewayConfig(process.env))}\n`);
}

main(process.argv[2]).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`cryptopay cli: ${error.message}\nSee docs/configuration.md.\n`);
    process.exit(2);
  }
  process.stderr.write(`cryptopay cli: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
