/** One Jest project per test tier; the tier is in the file name. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const tier = (name, timeout, setupFilesAfterEnv = []) => ({
  displayName: name,
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: [`<rootDir>/**/*.${name}.test.ts`],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': swc },
  globals: { ICP_TIER_TIMEOUT_MS: timeout },
  setupFilesAfterEnv: ['<rootDir>/test/setup/tier-timeout.ts', ...setupFilesAfterEnv],
});

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    tier('unit', 10_000),
    tier('int', 120_000, ['<rootDir>/test/setup/quiet-temporal.ts']),
    tier('e2e', 300_000, ['<rootDir>/test/setup/quiet-temporal.ts']),
  ],
};
