import { jestConfig } from '../../jest.base.mjs';

export default jestConfig({
  setupFiles: ['<rootDir>/test/support/setup.ts'],
  // Lease-expiry and Redis-recovery tests wait for real Redis timers.
  testTimeout: 30_000,
});
