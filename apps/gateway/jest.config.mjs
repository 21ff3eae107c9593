import { jestConfig } from '../../jest.base.mjs';

// End-to-end suites start whole gateways (and child processes): one suite at a time on a 2-core machine.
export default jestConfig({ testTimeout: 30_000 });
