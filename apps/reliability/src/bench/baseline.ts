import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

const SCRIPT = fileURLToPath(new URL('./baseline-server.js', import.meta.url));

/** The baseline server as its own process (see baseline-server.ts), with its own Redis key prefix. */
export class BaselineProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly redisUrl: string,
    private readonly keyPrefix: string,
  ) {}

  static async start(redisUrl: string): Promise<BaselineProcess> {
    const keyPrefix = `cryptopay-bench:baseline:${process.pid}`;
    const child = spawn(process.execPath, [SCRIPT], { env: { PATH: process.env['PATH'] ?? '', REDIS_URL: redisUrl, BASELINE_KEY_PREFIX: keyPrefix }, stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    return new BaselineProcess(child, Number.parseInt(line.toString().trim(), 10), redisUrl, keyPrefix);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Stops the server and deletes every key it set. */
  async close(): Promise<void> {
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
    const redis = new Redis(this.redisUrl);
    try {
      let cursor = '0';
      do {
        const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${this.keyPrefix}:*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = nextCursor;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}
