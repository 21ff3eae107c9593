#!/usr/bin/env node
// examples/embedded-nest-app, installed as a platform team installs cryptopay and then tested: the
// public packages built, packed and checked (scripts/packed-packages.mjs), the example copied out of
// the workspace, its @cryptopay dependencies installed from those tarballs and everything else from
// the npm registry as its committed package-lock.json pins it, then its own `npm test`.
//
// --update-lock  instead of testing, re-resolve the lockfile after the example's or a package's
//                dependencies or versions changed, and write it back to examples/embedded-nest-app.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { buildPublicPackages, packAndCheck, publicPackages, ROOT } from './packed-packages.mjs';

const EXAMPLE = join(ROOT, 'examples', 'embedded-nest-app');
const LOCKFILE = 'package-lock.json';
/** What the lockfile records of each packed package, and must still match. */
const LOCKED_FIELDS = ['version', 'dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta'];

function npm(args, cwd) {
  const result = spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${result.status}) in ${cwd}`);
}

/** The example without anything built or installed in place: only what is committed. */
function copyExample(into) {
  cpSync(EXAMPLE, into, { recursive: true, filter: (source) => !/[/\\](node_modules|dist|packs)$/.test(source) });
}

function readLock(app) {
  return JSON.parse(readFileSync(join(app, LOCKFILE), 'utf8'));
}

function lockedPackages(lock) {
  // The package a path installs is its last `node_modules/` segment: `@cryptopay/nest/node_modules/x` is x.
  return Object.entries(lock.packages).filter(([path]) => /(^|\/)node_modules\/@cryptopay\/[^/]+$/.test(path));
}

/**
 * Every packed package the example uses, directly or through another, must be a `file:` dependency
 * of it: one it lacks would be looked up on the registry, where @cryptopay/* may be an older release
 * or absent. Packages it does not use (the conformance suite, for adapter authors) need not be.
 */
function manifestProblems(app, packed) {
  const { dependencies = {} } = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  const byName = new Map(packed.map((pkg) => [pkg.name, pkg]));
  const used = new Set();
  const visit = (name) => {
    const pkg = byName.get(name);
    if (!pkg || used.has(name)) return;
    used.add(name);
    for (const dependency of Object.keys({ ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies })) visit(dependency);
  };
  Object.keys(dependencies).forEach(visit);
  return packed
    .filter((pkg) => used.has(pkg.name) && dependencies[pkg.name] !== `file:packs/${basename(pkg.tarball)}`)
    .map((pkg) => `package.json must depend on "${pkg.name}": "file:packs/${basename(pkg.tarball)}"`);
}

/** JSON with sorted keys (npm sorts what it records). */
function canonical(value) {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value ?? null);
  return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
}

/** Why the lockfile no longer describes the packed packages, if it does not. */
function lockProblems(lock, packed) {
  const byName = new Map(packed.map((pkg) => [pkg.name, pkg]));
  const problems = [];
  for (const [path, entry] of lockedPackages(lock)) {
    const pkg = byName.get(path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    if (!pkg || entry.resolved !== `file:packs/${basename(pkg.tarball)}`) {
      problems.push(`${path} is not installed from a packed tarball (${entry.resolved ?? 'no source'})`);
      continue;
    }
    for (const field of LOCKED_FIELDS) {
      if (canonical(entry[field]) !== canonical(pkg.manifest[field])) problems.push(`${pkg.name}: its ${field} changed`);
    }
  }
  return problems;
}

/**
 * Re-resolves the lockfile: the @cryptopay entries are dropped so npm reads them from the new tarballs,
 * the third-party pins are kept unless a changed dependency needs others. Their integrity is left
 * out: the tarballs change with every source change.
 */
function updateLock(app) {
  if (existsSync(join(app, LOCKFILE))) {
    const lock = readLock(app);
    for (const [path] of lockedPackages(lock)) delete lock.packages[path];
    writeFileSync(join(app, LOCKFILE), `${JSON.stringify(lock, null, 2)}\n`);
  }
  npm(['install'], app);
  const updated = readLock(app);
  for (const [, entry] of lockedPackages(updated)) delete entry.integrity;
  writeFileSync(join(EXAMPLE, LOCKFILE), `${JSON.stringify(updated, null, 2)}\n`);
  console.log(`wrote ${join('examples', 'embedded-nest-app', LOCKFILE)}`);
}

const work = mkdtempSync(join(tmpdir(), 'cryptopay-example-'));
const app = join(work, 'embedded-nest-app');
try {
  const packages = publicPackages();
  buildPublicPackages(packages);
  copyExample(app);
  const packed = packAndCheck(packages, join(app, 'packs'));
  const missing = manifestProblems(app, packed);
  if (missing.length > 0) throw new Error(`examples/embedded-nest-app/${missing.join('\n  ')}`);
  if (process.argv.includes('--update-lock')) {
    updateLock(app);
  } else {
    const problems = lockProblems(readLock(app), packed);
    if (problems.length > 0) {
      throw new Error(`examples/embedded-nest-app/${LOCKFILE} is out of date:\n  ${problems.join('\n  ')}\nrun \`node scripts/example-app.mjs --update-lock\` and commit the lockfile`);
    }
    npm(['ci', '--prefer-offline'], app);
    npm(['test'], app);
  }
  rmSync(work, { recursive: true, force: true });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.error(`the installed example is kept in ${app}`);
  process.exitCode = 1;
}
