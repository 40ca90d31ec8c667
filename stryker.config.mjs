// @ts-check
/**
 * Mutation testing of the client's core (`npm run test:mutation`): each mutant is a small change of
 * behaviour, and the fast suites (engine, Vue layer, uni-app's real API layer) must notice it.
 * Incremental: only mutants whose code or covering tests changed are run again. The state file holds
 * this machine's absolute paths, so git ignores it: a fresh clone's first run is a full one. scripts/mutation-score.mjs turns the JSON report into the committed
 * score file that `npm test` checks.
 * Separate from server/stryker.config.mjs: Stryker runs one config per process in one working directory,
 * and the two packages differ in that directory, their vitest config and their thresholds.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  // The fast suites only (see that file): no builds, no browser.
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'src/core/**/*.ts',
    '!src/core/events.ts',
    '!src/core/types.ts',
    'src/uni/auth-interceptor.ts',
    'src/uni/auth-config.ts',
    'src/uni/own-requests.ts',
    'src/uni/url.ts',
    'src/uni/uni-host.ts',
    'src/uni/request-marker.ts',
    'src/uni/create-auth.ts',
    'src/uni/describe-event.ts',
    'src/uni/login-target.ts',
    'src/h5/wechat-oauth.ts',
  ],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'test-results/mutation/mutation.json' },
  htmlReporter: { fileName: 'test-results/mutation/mutation.html' },
  concurrency: 2,
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
}
