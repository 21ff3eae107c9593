import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { asJsonObject, jsonDecimalText, jsonField, jsonString, parseJsonExact } from '@cryptopay/provider-kit';
import { testRedisUrl } from '@cryptopay/test-servers';
import { Redis } from 'ioredis';

/**
 * The ceiling the gateway is measured against: the least a callback endpoint can do — read the
 * request, parse it (the JSON body exactly, or the query string), one Redis `SET NX`, answer `*ok*`.
 * Run as its own process, like the gateway. Prints its port on stdout.
 */
const prefix = process.env['BASELINE_KEY_PREFIX'] ?? 'cryptopay-bench:baseline';
const redis = new Redis(testRedisUrl(), { enableOfflineQueue: true });

function keyOf(method: string | undefined, target: string, body: Buffer): string {
  if (method === 'POST') {
    const object = asJsonObject(parseJsonExact(body.toString('utf8')));
    return `${jsonString(jsonField(object!, 'uuid'))}:${jsonDecimalText(jsonField(object!, 'pending'))}`;
  }
  const url = new URL(target, 'http://baseline');
  return `${url.pathname}:${url.searchParams.get('txid')}:${url.searchParams.get('status')}:${url.searchParams.get('addr')}`;
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const key = keyOf(req.method, req.url ?? '/', Buffer.concat(chunks));
    redis.set(`${prefix}:${key}`, '1', 'PX', 600_000, 'NX').then(
      () => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('*ok*'),
      () => res.writeHead(503).end('redis unavailable'),
    );
  });
});

server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.once('SIGTERM', () => {
  server.close();
  redis.disconnect();
});
