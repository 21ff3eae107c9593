#!/usr/bin/env node
// Packs every public workspace package the way `pnpm publish` does and checks that each tarball
// works outside this workspace: real versions instead of `workspace:`/`catalog:`, the built code and
// its types for every `exports` entry, no sources or tests, and no import of something the package
// does not depend on (a devDependency, another package's src/, a file left out of the tarball).
// `node scripts/packed-packages.mjs` builds, packs into a temporary folder and checks;
// scripts/example-app.mjs uses the same functions before installing the tarballs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'];
const WORKSPACE_ONLY = /^(workspace|catalog):/;

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status})\n${result.stdout ?? ''}`);
  return result.stdout;
}

/** The workspace packages that are published: every one not marked private. */
export function publicPackages() {
  const all = JSON.parse(run('pnpm', ['ls', '-r', '--depth', '-1', '--json']));
  return all.filter((pkg) => pkg.private === false && pkg.path !== ROOT).map(({ name, version, path }) => ({ name, version, path }));
}

/**
 * Builds the public packages from a clean dist/ (turbo restores it from its cache when the sources
 * are unchanged), so a file whose source was deleted is never packed.
 */
export function buildPublicPackages(packages) {
  for (const pkg of packages) rmSync(join(pkg.path, 'dist'), { recursive: true, force: true });
  const filters = packages.map((pkg) => `--filter=${pkg.name}`);
  run('pnpm', ['exec', 'turbo', 'run', 'build', ...filters, '--output-logs=errors-only'], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** `pnpm pack` of one package into `destination` as `<scope>-<name>.tgz` (no version: a stable file name). */
export function pack(pkg, destination) {
  const packed = JSON.parse(run('pnpm', ['pack', '--json', '--out', join(destination, '%s.tgz')], { cwd: pkg.path }));
  return { name: pkg.name, tarball: packed.filename, integrity: packed.integrity };
}

/** The tarball's files, unpacked into `into/package`. */
function unpack(tarball, into) {
  mkdirSync(into, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', into]);
  const root = join(into, 'package');
  return { root, manifest: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')), files: new Set(listFiles(root)) };
}

function listFiles(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

/** Every problem of one unpacked package; `packed` maps each packed package's name to its manifest. */
function problemsOf({ root, manifest, files }, packed) {
  return [
    ...manifestProblems(manifest),
    ...(files.has('README.md') ? [] : ['has no README.md']),
    ...exportProblems(manifest, files),
    ...[...files].filter((file) => /^(src|test)\//.test(file) || /\.(spec|test)\.[cm]?[jt]s$/.test(file)).map((file) => `ships ${file}: sources and tests stay out of the tarball`),
    ...sourceMapProblems(root, files),
    ...[...files].filter((file) => /\.(d\.[cm]?ts|[cm]?js)$/.test(file)).flatMap((file) => importProblems(root, file, manifest, files, packed)),
  ];
}

function manifestProblems(manifest) {
  const problems = [];
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, spec] of Object.entries(manifest[field] ?? {})) {
      if (WORKSPACE_ONLY.test(spec)) problems.push(`${field}.${name} is "${spec}": a workspace-only specifier`);
    }
  }
  for (const field of ['description', 'license', 'exports', 'files']) {
    if (!manifest[field]) problems.push(`package.json has no "${field}"`);
  }
  return problems;
}

/** Every `exports` entry resolves to a packed .js file and its .d.ts. */
function exportProblems(manifest, files) {
  if (typeof manifest.exports !== 'object' || manifest.exports === null) return [];
  return Object.entries(manifest.exports).flatMap(([subpath, target]) => {
    const conditions = typeof target === 'string' ? { default: target } : target;
    const code = conditions.import ?? conditions.default;
    const problems = [];
    if (typeof conditions.types !== 'string' || !conditions.types.endsWith('.d.ts')) problems.push(`exports["${subpath}"] has no "types" .d.ts`);
    else if (!files.has(posix.normalize(conditions.types))) problems.push(`exports["${subpath}"].types: ${conditions.types} is not in the tarball`);
    if (typeof code !== 'string' || !code.endsWith('.js')) problems.push(`exports["${subpath}"] has no .js entry`);
    else if (!files.has(posix.normalize(code))) problems.push(`exports["${subpath}"]: ${code} is not in the tarball`);
    return problems;
  });
}

/** A source map may only name sources that are packed too (a map into a missing src/ is noise). */
function sourceMapProblems(root, files) {
  return [...files]
    .filter((file) => file.endsWith('.map'))
    .flatMap((file) => {
      const { sources = [] } = JSON.parse(readFileSync(join(root, file), 'utf8'));
      return sources.map((source) => posix.join(posix.dirname(file), source)).filter((source) => !files.has(source)).map((source) => `${file} maps to ${source}, which is not in the tarball`);
    });
}

function importProblems(root, file, manifest, files, packed) {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
  return importedFiles.map(({ fileName }) => importProblem(fileName, file, manifest, files, packed)).filter(Boolean).map((problem) => `${file}: ${problem}`);
}

function importProblem(specifier, file, manifest, files, packed) {
  if (specifier.startsWith('.')) return relativeImportProblem(specifier, file, files);
  if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return null;
  const segments = specifier.split('/');
  const name = segments.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
  const subpath = ['.', ...segments.slice(name.split('/').length)].join('/');
  if (/^\.\/(src|test)(\/|$)/.test(subpath)) return `imports ${specifier}: another package's ${subpath.slice(2).split('/')[0]}/`;
  const runtime = ['dependencies', 'peerDependencies', 'optionalDependencies'];
  const declared = (dependency) => runtime.some((field) => manifest[field]?.[dependency] !== undefined);
  const typesOnly = file.endsWith('.ts') && declared(`@types/${name.replace(/^@(.*)\//, '$1__')}`);
  if (!declared(name) && !typesOnly) {
    return manifest.devDependencies?.[name] !== undefined ? `imports ${name}, which is only a devDependency` : `imports ${name}, which it does not depend on`;
  }
  const target = packed.get(name);
  if (target && typeof target.exports === 'object' && !(subpath in target.exports)) return `imports ${specifier}, which ${name} does not export`;
  return null;
}

/** A relative import must land on a packed file (in a .d.ts, `./x.js` is typed by `./x.d.ts`). */
function relativeImportProblem(specifier, file, files) {
  const target = posix.normalize(posix.join(posix.dirname(file), specifier));
  if (target.startsWith('../')) return `imports ${specifier}, outside the package`;
  const candidates = file.endsWith('.ts') ? [target.replace(/\.([cm]?)js$/, '.d.$1ts'), target] : [target];
  return candidates.some((candidate) => files.has(candidate)) ? null : `imports ${specifier}, which is not in the tarball`;
}

/**
 * Packs `packages` into `destination` and checks every tarball against the others; returns what was
 * packed and throws listing every problem found.
 */
export function packAndCheck(packages, destination) {
  mkdirSync(destination, { recursive: true });
  const results = packages.map((pkg) => pack(pkg, destination));
  const scratch = mkdtempSync(join(tmpdir(), 'cryptopay-unpacked-'));
  try {
    const unpacked = results.map((result, index) => ({ ...result, ...unpack(result.tarball, join(scratch, String(index))) }));
    const manifests = new Map(unpacked.map((pkg) => [pkg.name, pkg.manifest]));
    const failures = [];
    for (const pkg of unpacked) {
      const problems = problemsOf(pkg, manifests);
      console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${pkg.name}@${pkg.manifest.version} (${pkg.files.size} files)`);
      failures.push(...problems.map((problem) => `${pkg.name}: ${problem}`));
    }
    if (failures.length > 0) throw new Error(`packed packages are not installable as published:\n  ${failures.join('\n  ')}`);
    return unpacked.map(({ name, tarball, integrity, manifest }) => ({ name, tarball, integrity, manifest }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const destination = mkdtempSync(join(tmpdir(), 'cryptopay-packs-'));
  try {
    const packages = publicPackages();
    buildPublicPackages(packages);
    packAndCheck(packages, destination);
    console.log(`${packages.length} packages pack cleanly`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  } finally {
    if (existsSync(destination)) rmSync(destination, { recursive: true, force: true });
  }
}
