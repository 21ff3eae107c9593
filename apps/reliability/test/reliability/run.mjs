import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * `pnpm test:reliability [--soak[=minutes]] [jest arguments]`. Jest refuses options it does not know,
 * so `--soak` is taken here: it runs the soak scenario alone at full length (10 minutes unless
 * given), through CRYPTOPAY_SOAK_MINUTES. Without it, every scenario runs, the soak shortened.
 */
const SOAK = /^--soak(?:=(\d+(?:\.\d+)?))?$/;
const args = process.argv.slice(2);
const soak = args.map((arg) => SOAK.exec(arg)).find(Boolean);
const jestArgs = args.filter((arg) => !SOAK.test(arg));
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim() };
if (soak) {
  env.CRYPTOPAY_SOAK_MINUTES = soak[1] ?? '10';
  if (!jestArgs.some((arg) => !arg.startsWith('-'))) jestArgs.push('test/reliability/05-soak.spec.ts');
}

const jest = join(dirname(createRequire(import.meta.url).resolve('jest/package.json')), 'bin', 'jest.js');
const child = spawn(process.execPath, [jest, '--runInBand', ...jestArgs], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
