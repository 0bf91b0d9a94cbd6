/**
 * Four groups of tests, run by `npm test` (scripts/test.sh):
 *  - unit: pure domain code, no servers;
 *  - workflow: the real workflow code on Temporal's time-skipping test server;
 *  - integration: API, activities and the gateway sandbox on real PostgreSQL and the dev server;
 *  - browser: the web app in real Chromium against that stack, with axe-core.
 * The PostgreSQL server for workflow and integration tests is started by test/global-setup.mjs.
 */
/** @type {import('jest').Config} */
const common = {
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json', 'mjs'],
};
module.exports = {
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'workflow',
      testMatch: ['<rootDir>/test/workflow/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
    // Real Chromium (Debian's, through playwright-core) against the running stack (issue #12).
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'] },
  ],
};
