import { strykerConfig } from '../../stryker.base.mjs';
import jest from './jest.config.mjs';

// The conformance suite is test code that providers run; options are start-up validation.
export default strykerConfig({
  jest,
  mutate: ['src/redaction/**/*.ts', 'src/network/**/*.ts', 'src/contract/**/*.ts', 'src/http/**/*.ts', 'src/json/**/*.ts', 'src/callback/**/*.ts', 'src/errors/**/*.ts'],
});
