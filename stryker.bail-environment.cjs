// The Jest environment of mutation runs: once a test fails under a mutant, the rest of that mutant's
// run is skipped — what Stryker calls bailing, which its Jest runner cannot ask of Jest
// (jestjs/jest#11766; Jest's own `bail` stops only between test files, after a whole file has run).
// Without it every killed mutant of the callback pipeline still ran all ~150 tests that cover it,
// each spec starting an app. A skipped test is reported as skipped, never as passed, so a mutant is
// killed exactly when it would have been; the dry run (no active mutant) runs everything, since its
// per-test coverage decides which tests each mutant runs.
const { TestEnvironment } = require('jest-environment-node');

/** The mutant whose run has a failed test. Module state: Stryker runs the test files in band, in one process. */
let failedUnder;

class BailingEnvironment extends TestEnvironment {
  async handleTestEvent(event, state) {
    const mutant = this.global.__stryker__?.activeMutant;
    if (mutant === undefined) return;
    if (event.name === 'test_done' && event.test.errors.length > 0) failedUnder = mutant;
    if (failedUnder !== mutant) return;
    // Before a file's hooks: with no test left enabled, its beforeAll (an app start) does not run.
    if (event.name === 'run_start') skipAll(state.rootDescribeBlock);
    if (event.name === 'test_start') event.test.mode = 'skip';
  }
}

function skipAll(block) {
  for (const child of block.children) {
    if (child.type === 'test') child.mode = 'skip';
    else skipAll(child);
  }
}

module.exports = BailingEnvironment;
