import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One directory per run for every gateway log and the secrets handed out (see src/harness/run-directory.ts). */
export default function runSetup() {
  const dir = mkdtempSync(join(tmpdir(), 'cryptopay-reliability-'));
  process.env.CRYPTOPAY_RELIABILITY_RUN_DIR = dir;
  console.log(`\ngateway logs of this run: ${dir}`);
}
