// Shared StrykerJS setup for the packages where a bug costs money or security (docs/development.md,
// "Mutation testing"). Each such package has a stryker.config.mjs calling `strykerConfig`.
import { fileURLToPath } from 'node:url';

/**
 * @param {object} options
 * @param {string[]} options.mutate  the production files to mutate (globs relative to the package)
 * @param {object} options.jest      the package's own Jest config (its jest.config.mjs default export)
 * @param {object} [options.overrides] any other Stryker option
 */
export function strykerConfig({ mutate, jest, ...overrides }) {
  return {
    // pnpm keeps the plugins out of reach of Stryker's own `@stryker-mutator/*` glob: name them.
    plugins: [import.meta.resolve('@stryker-mutator/jest-runner'), import.meta.resolve('@stryker-mutator/typescript-checker')],
    testRunner: 'jest',
    // The suites run as ESM (see jest.base.mjs); Jest needs this flag in Stryker's runner process too.
    testRunnerNodeArgs: ['--experimental-vm-modules'],
    jest: {
      projectType: 'custom',
      // jest.config.mjs imports ../../jest.base.mjs, which a sandbox copy cannot reach: the config is
      // loaded here, in the package, and handed over; package.json (no "jest" key) gives the rootDir.
      configFile: 'package.json',
      // A mutant's run loads only the test files holding its tests and stops at its first failing
      // test (see each file for why it is ours).
      config: { ...jest, runner: local('./stryker.test-runner.cjs'), testEnvironment: local('./stryker.bail-environment.cjs') },
      enableFindRelatedTests: false,
    },
    checkers: ['typescript'],
    tsconfigFile: 'tsconfig.json',
    coverageAnalysis: 'perTest',
    // The machine is shared: one test runner (plus the checker) at a time.
    concurrency: 1,
    // Reruns test only the mutants whose code or covering tests changed since the last run. The file stays
    // local (gitignored reports/): see docs/development.md for why it is not committed.
    incremental: true,
    incrementalFile: 'reports/stryker-incremental.json',
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: 'reports/mutation/index.html' },
    jsonReporter: { fileName: 'reports/mutation/mutation.json' },
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
    thresholds: { high: 90, low: 85, break: null },
    // A loaded 2-core machine: a mutant is a timeout only when far slower than its tests' dry run, since a
    // timeout counts as killed and a busy neighbour must not inflate the score.
    timeoutFactor: 3,
    timeoutMS: 10_000,
    ignorePatterns: ['dist', 'coverage', 'reports', '*.tsbuildinfo'],
    mutate,
    ...overrides,
  };
}

function local(file) {
  return fileURLToPath(new URL(file, import.meta.url));
}
