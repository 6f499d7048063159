// @ts-check
import { builtinModules } from 'node:module';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

const SANDBOX_MESSAGE = 'Node built-ins are not deterministic; keep I/O in activities/ or infra/.';

/** Workflow and domain code runs inside Temporal's deterministic sandbox: no I/O, no Node built-ins. */
const nodeBuiltinPaths = nodeBuiltins.flatMap((name) => [
  { name, message: SANDBOX_MESSAGE },
  { name: `node:${name}`, message: SANDBOX_MESSAGE },
]);

/**
 * The rooms and their arrows (docs/architecture.md): each entry names the folders a room may not
 * import from. Arrows point inward: events/ is the pure domain; workflows/ and activities/ depend on
 * it (and on the ports they own); services/ receives adapters through DI tokens; infra/ implements
 * ports; main/ (the composition roots) knows every room and nothing imports it.
 */
const room = (
  /** @type {string} */ name,
  /** @type {string[]} */ group,
  /** @type {string} */ message,
  allowTypeImports = false,
) => ({
  group: group.flatMap((folder) => (folder.startsWith('!') ? [folder] : [`**/${folder}`, `**/${folder}/**`])),
  allowTypeImports,
  message: `${name}: ${message}`,
});

const ROOM_RULES = {
  events: {
    sandbox: true,
    patterns: [
      room(
        'events/',
        ['workflows', 'activities', 'services', 'infra', 'main', 'test'],
        'the domain is pure and imports nothing outside events/.',
      ),
    ],
  },
  workflows: {
    sandbox: true,
    patterns: [
      room(
        'workflows/',
        ['services', 'infra', 'main', 'test'],
        'workflows must stay pure: they depend on events/ and on activity types only.',
      ),
      room(
        'workflows/',
        ['activities'],
        'import activities with `import type` and call them through proxyActivities.',
        true,
      ),
    ],
  },
  activities: {
    patterns: [
      room(
        'activities/',
        ['infra', 'services', 'workflows', 'main', 'test'],
        'activities depend on events/ and on the ports in activities/ports; adapters are passed to createActivities(deps).',
      ),
    ],
  },
  services: {
    patterns: [
      room(
        'services/',
        ['infra', 'activities', 'main', 'test'],
        'services receive adapters through DI tokens (services/tokens.ts); only main/ binds them.',
      ),
      {
        // Any module of workflows/ but its `*.definitions` (the updates and queries a client sends).
        regex: '(^|/)workflows(/(?!.*\\.definitions$).*)?$',
        allowTypeImports: true,
        message: 'services/: services may use a workflow’s definitions (updates, queries) and types only.',
      },
    ],
  },
  infra: {
    patterns: [
      room(
        'infra/',
        ['services', 'activities', 'workflows', 'main', 'test'],
        'adapters implement ports and import no feature code (only events/).',
      ),
    ],
  },
};

const roomConfigs = Object.entries(ROOM_RULES).map(([folder, rule]) => ({
  files: [`${folder}/**/*.ts`],
  ignores: ['**/*.test.ts'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      { paths: 'sandbox' in rule ? nodeBuiltinPaths : [], patterns: rule.patterns },
    ],
  },
}));

const BENCH_WORKFLOW_RULES = {
  paths: nodeBuiltinPaths,
  patterns: ROOM_RULES.workflows.patterns,
};

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
  ...roomConfigs,
  {
    files: ['bench/workflows/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', BENCH_WORKFLOW_RULES] },
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
