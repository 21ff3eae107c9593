import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { fingerprintOf, IdempotencyKey, type RedisConnection, RedisIdempotencyStore, type StoredOutcome } from '../src/index.js';
import { eventually, plainServer, RedisServerProcess } from '@cryptopay/test-servers';

const outcome: StoredOutcome = { status: 200, headers: {}, body: '*ok*' };
const fingerprint = fingerprintOf('payload');

/** Claim, duplicate, complete, replay: the store works end to end over the given connection. */
async function expectGuardedOver(connection: RedisConnection): Promise<void> {
  const store = new RedisIdempotencyStore({ connection });
  try {
    expect(await store.ready(10_000)).toBe(true);
    // Many keys, so a cluster spreads them over every node.
    for (let delivery = 0; delivery < 30; delivery += 1) {
      const key = IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: `delivery-${delivery}` });
      const claim = await store.claim(key, fingerprint);
      if (claim.status !== 'acquired') throw new Error(`delivery ${delivery}: ${claim.status}`);
      expect((await store.claim(key, fingerprint)).status).toBe('in-flight');
      expect(await store.complete(key, claim.token, outcome)).toBe(true);
      expect(await store.claim(key, fingerprint)).toEqual({ status: 'completed', outcome });
    }
  } finally {
    await store.close();
  }
}

describe('Redis topologies (own redis-server processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'idempotency-redis-'));
  const servers: RedisServerProcess[] = [];
  const start = async (args?: (port: number) => string[]) => {
    const server = await RedisServerProcess.start(args);
    servers.push(server);
    return server;
  };

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('works through Sentinel, writing to the master it names', async () => {
    const master = await start();
    const sentinel = await start((port) => {
      const config = join(dir, `sentinel-${port}.conf`);
      writeFileSync(config, `port ${port}\nbind 127.0.0.1\nsentinel monitor main 127.0.0.1 ${master.port} 1\n`);
      return [config, '--sentinel'];
    });
    await expectGuardedOver({ mode: 'sentinel', masterName: 'main', sentinels: [{ host: '127.0.0.1', port: sentinel.port }] });

    const admin = new Redis(master.url);
    expect(await admin.exists('cryptopay:idem:callback:blockbee:*:delivery-0')).toBe(1);
    await admin.quit();
  });

  it('works on a three-node Cluster, each key in one slot', async () => {
    const clusterNode = (port: number) => [...plainServer(port), '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`)];
    const nodes = await Promise.all([start(clusterNode), start(clusterNode), start(clusterNode)]);
    await formCluster(nodes.map((node) => node.port));
    await expectGuardedOver({ mode: 'cluster', nodes: [{ host: '127.0.0.1', port: nodes[0]!.port }] });

    const keysPerNode = await Promise.all(
      nodes.map(async (node) => {
        const admin = new Redis(node.url);
        const count = await admin.dbsize();
        await admin.quit();
        return count;
      }),
    );
    expect(keysPerNode.every((count) => count > 0)).toBe(true);
  });
});

/** Splits the 16384 slots over the nodes and introduces them to each other. */
async function formCluster(ports: number[]): Promise<void> {
  const admins = ports.map((port) => new Redis(port, '127.0.0.1'));
  const share = Math.ceil(16_384 / ports.length);
  await Promise.all(
    admins.map((admin, index) => admin.call('CLUSTER', 'ADDSLOTSRANGE', index * share, Math.min(16_383, (index + 1) * share - 1))),
  );
  await Promise.all(admins.slice(1).map((admin) => admin.call('CLUSTER', 'MEET', '127.0.0.1', ports[0]!)));
  await eventually(async () => {
    const infos = await Promise.all(admins.map((admin) => admin.call('CLUSTER', 'INFO')));
    return infos.every((info) => String(info).includes('cluster_state:ok')) ? true : undefined;
  }, 'the cluster to form');
  await Promise.all(admins.map((admin) => admin.quit()));
}
