import { strykerConfig } from '../../stryker.base.mjs';
import jest from './jest.config.mjs';

// Everything but the simulator (test tooling), the Nest wiring and the re-exports.
export default strykerConfig({ jest, mutate: ['src/**/*.ts', '!src/simulator/**', '!src/nest/**', '!src/**/index.ts'] });
