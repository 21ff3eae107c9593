import { jestConfig } from '../../jest.base.mjs';

// PGlite's first start (WASM and initdb) takes a few seconds.
export default jestConfig({ testTimeout: 30_000 });
