// Shared Jest setup for every package: ESM + @swc/jest (see docs/development.md for why).
export function jestConfig(overrides = {}) {
  return {
    testEnvironment: 'node',
    // A safety net against a hung test, not a speed assertion: generous, so a loaded 2-core CI
    // machine running several packages' suites at once does not fail a slow start-up hook.
    testTimeout: 30_000,
    extensionsToTreatAsEsm: ['.ts'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2023',
            keepClassNames: true,
          },
          module: { type: 'es6' },
        },
      ],
    },
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    ...overrides,
  };
}
