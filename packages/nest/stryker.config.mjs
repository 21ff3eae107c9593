import { strykerConfig } from '../../stryker.base.mjs';
import jest from './jest.config.mjs';

// The callback pipeline: intake, recording and logging of deliveries, provider discovery, the expiry sweep.
export default strykerConfig({ jest, mutate: ['src/callbacks/**/*.ts', 'src/providers/**/*.ts', 'src/expiry/**/*.ts'] });
