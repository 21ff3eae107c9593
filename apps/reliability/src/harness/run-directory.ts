import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const VARIABLE = 'CRYPTOPAY_RELIABILITY_RUN_DIR';
const SECRETS_FILE = 'secrets.txt';

/**
 * Where one run keeps every gateway's log and the secrets those gateways were given, so a last
 * check can read all the logs at once. Shared with child test files through the environment.
 */
export function runDirectory(): string {
  const given = process.env[VARIABLE];
  if (given) {
    mkdirSync(given, { recursive: true });
    return given;
  }
  const created = mkdtempSync(join(tmpdir(), 'cryptopay-reliability-'));
  process.env[VARIABLE] = created;
  return created;
}

export function logFile(name: string): string {
  return join(runDirectory(), `${name}.log`);
}

/** Remembers secret values handed to gateways (one per line) for the final log check. */
export function rememberSecrets(values: readonly string[]): void {
  appendFileSync(join(runDirectory(), SECRETS_FILE), values.map((value) => `${value}\n`).join(''), { mode: 0o600 });
}

export function rememberedSecrets(): string[] {
  try {
    return [...new Set(readFileSync(join(runDirectory(), SECRETS_FILE), 'utf8').split('\n').filter((line) => line.length > 0))];
  } catch {
    return [];
  }
}

/** Every gateway log of this run, by file name. */
export function gatewayLogs(): Map<string, string> {
  const dir = runDirectory();
  return new Map(readdirSync(dir).filter((name) => name.endsWith('.log')).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}
