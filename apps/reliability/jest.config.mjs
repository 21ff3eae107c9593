import { jestConfig } from '../../jest.base.mjs';

// The reliability suite only (pnpm test:reliability): whole gateway processes, one scenario at a time,
// in file-name order so the secrets check reads every other scenario's logs last.
export default jestConfig({
  testMatch: ['<rootDir>/test/reliability/**/*.spec.ts'],
  testSequencer: '<rootDir>/test/reliability/run-order.mjs',
  globalSetup: '<rootDir>/test/reliability/run-setup.mjs',
  testTimeout: 240_000,
});
