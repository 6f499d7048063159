// @ts-check
import { builtinModules } from 'node:module';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

/** Workflow and domain code runs inside Temporal's deterministic sandbox: no I/O, no Node built-ins. */
const sandboxRestrictions = (/** @type {boolean} */ allowActivityTypes) => ({
  paths: nodeBuiltins.flatMap((name) => [
    { name, message: 'Node built-ins are not deterministic; keep I/O in activities/ or infra/.' },
    {
      name: `node:${name}`,
      message: 'Node built-ins are not deterministic; keep I/O in activities/ or infra/.',
    },
  ]),
  patterns: [
    {
      group: ['**/infra', '**/infra/**', '**/services', '**/services/**'],
      message: 'infra/ and services/ do I/O; workflows/ and events/ must stay pure.',
    },
    {
      group: ['**/activities', '**/activities/**'],
      allowTypeImports: allowActivityTypes,
      message: allowActivityTypes
        ? 'Import activities with `import type` and call them through proxyActivities.'
        : 'events/ is the pure domain and cannot depend on activities/.',
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'bench/results/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'bench/workflows/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', sandboxRestrictions(true)] },
  },
  {
    files: ['events/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', sandboxRestrictions(false)] },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['console/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'localStorage',
          'sessionStorage',
          'fetch',
          'crypto',
          'atob',
          'setTimeout',
          'URL',
          'URLSearchParams',
          'FormData',
          'TextDecoder',
          'Node',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  prettier,
);
