import { jestConfig } from '../../jest.base.mjs';

export default jestConfig({ setupFiles: ['<rootDir>/test/support/fast-check.ts'] });
