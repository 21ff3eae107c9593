import { describe, expect, it } from '@jest/globals';
import { gatewayLogs, rememberedSecrets } from '../../src/harness/run-directory.js';

/** Runs last (file-name order): reads the stdout and stderr of every gateway process of this run. */
describe('secrets in the logs of every gateway process of the run', () => {
  it('holds no API key, callback secret, nonce or bearer token', () => {
    const logs = gatewayLogs();
    const secrets = rememberedSecrets();
    const leaks = [...logs].flatMap(([file, text]) => secrets.filter((secret) => text.includes(secret)).map((secret) => `${file}: ${secret.slice(0, 4)}…`));
    const lines = [...logs.values()].reduce((sum, text) => sum + text.split('\n').length - 1, 0);
    console.log(`Secrets: ${logs.size} gateway logs, ${lines} lines, ${secrets.length} secret values checked, ${leaks.length} found`);

    // The check only means something if the run produced logs and handed out secrets.
    expect(logs.size).toBeGreaterThan(0);
    expect(lines).toBeGreaterThan(1_000);
    expect(secrets.length).toBeGreaterThan(4);
    expect(leaks).toEqual([]);
  });
});
