import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** The node flags of the package's `start` script (`node <flags> dist/main.js`): tests run the gateway as production does. */
export const START_FLAGS = startFlags();

function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const words = scripts.start.split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'dist/main.js') throw new Error(`the start script must be "node <flags> dist/main.js", not "${scripts.start}"`);
  return words.slice(1, -1);
}

/** Polls `check` every 50 ms, at most `attempts` times; bounded so a broken test fails instead of hanging. */
export async function eventually(check: () => Promise<boolean>, attempts = 200): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not reached');
}

export interface Exited {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built gateway as its `start` script does, with exactly this environment (nothing
 * inherited but PATH); `nodeFlags` come after the script's own.
 */
export function spawnGateway(env: Record<string, string>, nodeFlags: readonly string[] = []): { child: ChildProcess; output: () => Exited; exited: Promise<Exited> } {
  const child = spawn(process.execPath, [...START_FLAGS, ...nodeFlags, MAIN], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const output = (): Exited => ({ code: child.exitCode, stdout, stderr });
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { child, output, exited };
}
