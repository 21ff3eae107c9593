// The Jest test runner of mutation runs: a mutant's run loads only the test files that hold one of
// the tests covering it, and none after a file in which a test failed.
// Stryker's Jest runner picks a mutant's tests by name (a `testNamePattern`), so Jest still loaded
// every test file to learn its tests' names: for nest, 23 specs' module graphs (the Nest app, the
// embedded PostgreSQL) per mutant, even for one covered by a single test. The dry run (no mutant
// active) runs every file and notes which tests each holds; mutant runs read that note. A file the
// note does not know is run. Skipping can only let a mutant survive, never kill it: a survivor is
// read by hand (docs/development.md), so a wrong skip shows rather than flattering the score.
// A mutant's files run cheapest first (by their dry-run time): most mutants are killed by any file
// that covers them, and Jest's own order (slowest first) made each pay for the slowest spec.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { createEmptyTestResult } = require('@jest/test-result');
const TestRunner = require('jest-runner').default;

// Stryker's Jest runner sets this for a mutant run (its INSTRUMENTER_CONSTANTS), in this process:
// it runs Jest in band.
const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';

/** A test's result when skipped, as Jest reports one (its names are added). */
const SKIPPED = Object.freeze({
  ancestorTitles: [],
  duration: 0,
  failureDetails: [],
  failureMessages: [],
  invocations: 0,
  location: null,
  numPassingAsserts: 0,
  retryReasons: [],
  status: 'pending',
});

class MutationTestRunner extends TestRunner {
  /** The scheduler's listeners, to report a skipped file as Jest's own runner reports a file. */
  #listeners = new Map();
  #failed = false;

  constructor(globalConfig, context) {
    super(globalConfig, context);
    super.on('test-file-success', ([, result]) => {
      if (result.numFailingTests > 0 || result.testExecError !== undefined) this.#failed = true;
    });
    // A file that could not run makes the mutant's run an error (Stryker's runtime error) whatever follows.
    super.on('test-file-failure', () => {
      this.#failed = true;
    });
  }

  on(eventName, listener) {
    this.#listeners.set(eventName, [...(this.#listeners.get(eventName) ?? []), listener]);
    return super.on(eventName, listener);
  }

  async runTests(tests, watcher, options) {
    if (process.env[ACTIVE_MUTANT] === undefined || !options.serial) return this.#dryRun(tests, watcher, options);
    const { testsOf, runtimeOf } = readNote(this._globalConfig);
    const pattern = new RegExp(this._globalConfig.testNamePattern ?? '', 'i');
    const cheapestFirst = [...tests].sort((a, b) => (runtimeOf[a.path] ?? Infinity) - (runtimeOf[b.path] ?? Infinity));
    this.#failed = false;
    for (const test of cheapestFirst) {
      const names = testsOf[test.path];
      const skip = names !== undefined && (this.#failed || !names.some((name) => pattern.test(name)));
      if (skip) await this.#skip(test, names);
      else await super.runTests([test], watcher, options);
    }
  }

  async #dryRun(tests, watcher, options) {
    const testsOf = {};
    const runtimeOf = {};
    const unsubscribe = super.on('test-file-success', ([test, result]) => {
      testsOf[test.path] = result.testResults.map((assertion) => assertion.fullName);
      runtimeOf[test.path] = result.perfStats.runtime;
    });
    await super.runTests(tests, watcher, options);
    unsubscribe();
    writeFileSync(notePath(this._globalConfig), JSON.stringify({ testsOf, runtimeOf }));
  }

  /** Reports the file's tests as skipped without loading it (Jest refuses a file result with no test). */
  async #skip(test, names) {
    const testResults = names.map((name) => ({ ...SKIPPED, fullName: name, title: name }));
    const result = { ...createEmptyTestResult(), numPendingTests: names.length, skipped: true, testFilePath: test.path, testResults };
    for (const listener of this.#listeners.get('test-file-start') ?? []) await listener([test]);
    for (const listener of this.#listeners.get('test-file-success') ?? []) await listener([test, result]);
  }
}

/** In the run's sandbox (Stryker's copy of the package, deleted after the run), for its other runners. */
function notePath(globalConfig) {
  return join(globalConfig.rootDir, '.stryker-test-names.json');
}

let note;
function readNote(globalConfig) {
  note ??= JSON.parse(readFileSync(notePath(globalConfig), 'utf8'));
  return note;
}

module.exports = MutationTestRunner;
