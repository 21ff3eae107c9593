import { strykerConfig } from '../../stryker.base.mjs';
import jest from './jest.config.mjs';

export default strykerConfig({ jest, mutate: ['src/**/*.ts', '!src/**/index.ts'] });
