import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const FLOAT_PARSING = [
  { selector: "CallExpression[callee.name='parseFloat']", message: 'Money is exact: parse decimals with the invoice package, never parseFloat.' },
  {
    selector: "CallExpression[callee.object.name='Number'][callee.property.name='parseFloat']",
    message: 'Money is exact: parse decimals with the invoice package, never Number.parseFloat.',
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-restricted-syntax': ['error', ...FLOAT_PARSING],
    },
  },
  {
    // Where amounts are parsed and computed, no number conversion at all: bigint and exact decimals only.
    files: ['packages/invoice/src/**/*.ts', 'packages/provider-*/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...FLOAT_PARSING,
        { selector: "CallExpression[callee.name='Number']", message: 'Money is exact: no Number() here; use bigint or Number.parseInt on a checked integer.' },
        { selector: "CallExpression[callee.property.name='toFixed']", message: 'Money is exact: format with the invoice package, never toFixed.' },
      ],
    },
  },
);
