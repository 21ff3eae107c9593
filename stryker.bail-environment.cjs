// The Jest environment of mutation runs: once a test fails under a mutant, the rest of that test
// file is skipped — what Stryker calls bailing, which its Jest runner cannot ask of Jest
// (jestjs/jest#11766; Jest's own `bail` stops only between test files, after a whole file has run).
// The files after it are not even loaded (`stryker.test-runner.cjs`). Without it every killed
// mutant of the callback pipeline still ran all ~150 tests that cover it, each spec starting an
// app. A skipped test is reported as skipped, never as passed, so a mutant is killed exactly when
// it would have been; the dry run (no active mutant) runs everything, since its per-test coverage
// decides which tests each mutant runs.
const { TestEnvironment } = require('jest-environment-node');

class BailingEnvironment extends TestEnvironment {
  /** One environment per test file: whether a test of this file failed under the active mutant. */
  #failed = false;

  async handleTestEvent(event) {
    if (this.global.__stryker__?.activeMutant === undefined) return;
    if (event.name === 'test_done' && event.test.errors.length > 0) this.#failed = true;
    if (event.name === 'test_start' && this.#failed) event.test.mode = 'skip';
  }
}

module.exports = BailingEnvironment;
