import { strykerConfig } from '../../stryker.base.mjs';
import jest from './jest.config.mjs';

// src/testing is test code that stores run (the repository contract), as provider-kit's conformance suite is.
export default strykerConfig({ jest, mutate: ['src/**/*.ts', '!src/**/index.ts', '!src/testing/**'] });
