import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { afterAll, describe, expect, it } from '@jest/globals';
import { eventually, GatewayProcess } from '@cryptopay/test-servers';
import { databaseEnv, dropTestSchemas } from './support/gateway-harness.js';
import { GATEWAY_DIR } from './support/gateway-dir.js';
import { ReadyBalancer } from './support/ready-balancer.js';

const TOKEN = randomBytes(32).toString('hex');

/** Live mode on the shared PostgreSQL (the reads below never call the provider), with a short shutdown delay. */
const ENV = {
  ...databaseEnv('PostgreSQL'),
  BLOCKBEE_API_KEY: 'rolling-restart-key-0123456789',
  API_TOKENS: TOKEN,
  PUBLIC_URL: 'https://pay.example.test',
  SHUTDOWN_DELAY_SECONDS: '1',
  SHUTDOWN_TIMEOUT_SECONDS: '10',
  LOG_LEVEL: 'warn',
};

/** A client that keeps sending reads through the balancer on keep-alive connections, one at a time per lane. */
function steadyTraffic(url: string, lanes: number): { stop: () => Promise<{ sent: number; errors: string[] }> } {
  const agent = new Agent({ keepAlive: true, maxSockets: lanes });
  const errors: string[] = [];
  let sent = 0;
  let running = true;
  const lane = async () => {
    while (running) {
      sent += 1;
      const status = await new Promise<number>((resolve) => {
        const call = request(`${url}/v1/invoices/inv_not_there`, { agent, headers: { authorization: `Bearer ${TOKEN}` } }, (answer) => {
          answer.resume();
          answer.on('end', () => resolve(answer.statusCode ?? 0));
        });
        call.on('error', (error: NodeJS.ErrnoException) => {
          errors.push(error.code ?? error.message);
          resolve(0);
        });
        call.end();
      });
      if (status !== 404 && status !== 0) errors.push(`status ${status}`);
    }
  };
  const running$ = Promise.all(Array.from({ length: lanes }, lane));
  return {
    stop: async () => {
      running = false;
      await running$;
      agent.destroy();
      return { sent, errors };
    },
  };
}

describe('a rolling restart of three instances behind a load balancer', () => {
  afterAll(() => dropTestSchemas());

  it('refuses or resets no request, and every old instance exits cleanly', async () => {
    const balancer = await ReadyBalancer.start();
    const start = async () => {
      const instance = await GatewayProcess.start({ packageDir: GATEWAY_DIR, env: ENV });
      balancer.add(instance.url);
      return instance;
    };
    let instances = [await start(), await start(), await start()];
    const everyone = [...instances];
    try {
      await eventually(() => balancer.rotation().length === 3, 'all three instances in rotation');
      const traffic = steadyTraffic(balancer.url, 4);

      const exits = [];
      for (const old of [...instances]) {
        const replacement = await start();
        everyone.push(replacement);
        await eventually(() => balancer.rotation().includes(replacement.url), 'the replacement in rotation');
        exits.push(await old.stop());
        balancer.remove(old.url);
        instances = [...instances.filter((each) => each !== old), replacement];
      }
      const { sent, errors } = await traffic.stop();

      expect(exits.map(({ code }) => code)).toEqual([0, 0, 0]);
      expect({ errors, failures: balancer.failures }).toEqual({ errors: [], failures: [] });
      expect(sent).toBeGreaterThan(0);
      expect([...balancer.statuses.keys()]).toEqual([404]);
    } finally {
      await Promise.all(everyone.map((instance) => instance.kill()));
      await balancer.close();
    }
  }, 180_000);
});
