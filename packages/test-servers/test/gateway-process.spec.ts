import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { eventually, GatewayProcess, startCommand } from '../src/index.js';

/** A stand-in gateway: answers /health/live on PORT, says how it was run, and shuts down on SIGTERM (or refuses FAIL at start). */
const MAIN = `
import { createServer } from 'node:http';
if (process.env.FAIL) {
  process.stderr.write('PORT must be a whole number\\n');
  process.exit(2);
}
const server = createServer((request, response) => response.writeHead(request.url === '/health/live' ? 200 : 404).end());
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening with ' + process.execArgv.join(' ') + ' and ' + Object.keys(process.env).sort().join(',') + '\\n'));
process.once('SIGTERM', () => server.close(() => {
  process.stdout.write('shut down cleanly\\n');
  process.exit(0);
}));
`;

function gatewayPackage(start = 'node --stack-size=900 dist/main.mjs'): string {
  const dir = mkdtempSync(join(tmpdir(), 'test-servers-gateway-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start } }));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'main.mjs'), MAIN);
  return dir;
}

describe('GatewayProcess', () => {
  it('runs the package as its start script does, with only the given environment, until it answers; stops it gracefully', async () => {
    const gateway = await GatewayProcess.start({ packageDir: gatewayPackage(), env: { GREETING: 'hello' }, nodeArgs: ['--no-warnings'] });
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    await eventually(() => gateway.output().stdout.includes('listening'), 'the start line');
    expect(gateway.output().stdout).toContain('listening with --stack-size=900 --no-warnings and GREETING,PATH,PORT');

    const exit = await gateway.stop();
    expect([exit.code, exit.signal]).toEqual([0, null]);
    expect(exit.stdout).toContain('shut down cleanly');
    expect(gateway.alive()).toBe(false);
  });

  it('rejects with what the process wrote when it exits before answering', async () => {
    await expect(GatewayProcess.start({ packageDir: gatewayPackage(), env: { FAIL: '1' } })).rejects.toThrow(
      'the gateway exited (code 2) before it answered: PORT must be a whole number',
    );
  });

  it('spawns without waiting, for a start that must fail', async () => {
    const { code, stderr } = await GatewayProcess.spawn({ packageDir: gatewayPackage(), env: { FAIL: '1' } }).exited;
    expect([code, stderr]).toEqual([2, 'PORT must be a whole number\n']);
  });

  it('lets the process write its output to a log file, and kills it', async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'test-servers-log-')), 'gateway.log');
    const gateway = await GatewayProcess.start({ packageDir: gatewayPackage(), env: {}, logFile });
    await eventually(() => readFileSync(logFile, 'utf8').includes('listening'), 'the start line in the log file');
    const exit = await gateway.kill();
    expect([exit.code, exit.signal, exit.stdout]).toEqual([null, 'SIGKILL', '']);
  });

  it('reads the node flags and the script of the start script, and refuses any other command', () => {
    const dir = gatewayPackage();
    expect(startCommand(dir)).toEqual({ nodeFlags: ['--stack-size=900'], script: join(dir, 'dist/main.mjs') });
    expect(() => startCommand(gatewayPackage('tsx src/main.ts'))).toThrow('must be "node <flags> <script>", not "tsx src/main.ts"');
  });
});
