// The Node.js every project command runs on: the one running when it is new enough (>= 22.12),
// else Node 24 LTS from the npm registry (the `node` package), installed once under .tools/node.
// Run directly (`node scripts/node-lts.mjs`) it prints that Node's directory, for .ci/run's PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MINIMUM = [22, 12];
const LTS_MAJOR = 24;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = path.join(ROOT, '.tools', 'node');
const BINARY = path.join(TOOLS, 'node_modules', 'node', 'bin', 'node');

/** Whether a Node.js version (`20.20.0`) is one the project supports. */
export function supported(version) {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
}

function versionOf(binary) {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim().replace(/^v/, '') : undefined;
}

/** Installs Node 24 into .tools/node, unless a Node 24 is there already. */
function installLts() {
  if (existsSync(BINARY) && versionOf(BINARY)?.split('.')[0] === String(LTS_MAJOR)) return;
  console.error(`Node.js ${process.versions.node} is older than ${MINIMUM.join('.')}: installing Node ${LTS_MAJOR} from the npm registry into .tools/node (once).`);
  // The package's preinstall script fetches the platform's binary; npm runs a dependency's install
  // scripts only where the project's `allowScripts` lets it (newer npm skips them otherwise).
  mkdirSync(TOOLS, { recursive: true });
  writeFileSync(path.join(TOOLS, 'package.json'), JSON.stringify({ private: true, allowScripts: { node: true } }));
  // --prefix: without it npm would walk up to the repository's package.json and install there.
  // npm's own output goes to stderr, so that stdout carries only the directory printed below.
  const npm = spawnSync('npm', ['install', '--prefix', TOOLS, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', `node@${LTS_MAJOR}`], {
    stdio: ['ignore', 2, 2],
  });
  const installed = versionOf(BINARY);
  if (npm.error || npm.status !== 0 || installed?.split('.')[0] !== String(LTS_MAJOR)) {
    console.error(`Could not install Node ${LTS_MAJOR} (npm install node@${LTS_MAJOR}). Install Node.js ${LTS_MAJOR} yourself and run the command again.`);
    process.exit(1);
  }
}

/** The directory of the Node.js binary to run everything on. */
export function nodeDirectory() {
  if (supported(process.versions.node)) return path.dirname(process.execPath);
  installLts();
  return path.dirname(BINARY);
}

/**
 * Returns at once on a supported Node. On an older one, runs this same command again on Node 24
 * with its directory first on PATH, so that every child (pnpm's scripts, turbo, jest, the gateway
 * processes the tests spawn) runs on it as well, and exits with that run's status.
 */
export function runOnSupportedNode() {
  if (supported(process.versions.node)) return;
  const directory = nodeDirectory();
  const node = path.join(directory, 'node');
  console.error(`Running on Node ${versionOf(node)} from .tools/node.`);
  const env = { ...process.env, PATH: `${directory}${path.delimiter}${process.env.PATH ?? ''}` };
  const result = spawnSync(node, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  if (result.error) throw result.error;
  if (result.signal) process.kill(process.pid, result.signal);
  process.exit(result.status ?? 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(nodeDirectory());
