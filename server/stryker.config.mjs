// @ts-check
/**
 * Mutation testing of the backend's token, store and identity-provider logic (`npm run test:mutation:server` at the
 * repository root): every mutant is a small change of behaviour the suites must notice. The run
 * works in server/ (its own temp dir and reports, apart from the client's run at the root).
 * Incremental: only mutants whose code or covering tests changed run again. The state file holds
 * this machine's absolute paths, so git ignores it: a fresh clone's first run is a full one.
 * The root's scripts/mutation-score.mjs (`server write`) writes the committed score file from the JSON report.
 * Separate from the root's stryker.config.mjs: Stryker runs one config per process in one working
 * directory, and the two packages differ in that directory, their vitest config and their thresholds.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  // Every suite listed there is about this code: no need for vitest's related-file search.
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  // Whole files: sql-store.ts beyond rotation, revocation and code claims costs little more.
  mutate: [
    'src/tokens/**/*.ts',
    'src/auth/issue-session.ts',
    'src/auth/claim-code.ts',
    'src/store/sql-store.ts',
    'src/store/identity-steps.ts',
    'src/store/hash.ts',
    'src/store/store-errors.ts',
    // The vendors' code exchanges: what each answer (and each failure) becomes.
    'src/providers/alipay.ts',
    'src/providers/douyin.ts',
    'src/providers/qq.ts',
    'src/wechat/oauth-provider.ts',
  ],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: '../mutation/server-incremental.json',
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: '../test-results/mutation-server/mutation.json' },
  htmlReporter: { fileName: '../test-results/mutation-server/mutation.html' },
  thresholds: { high: 90, low: 85, break: 85 },
  // Two shared cores: each test runner starts its own redis-server and PostgreSQL cluster.
  concurrency: 2,
  // Static mutants (module constants, code run while a suite starts) run every test in a fresh module
  // graph: on a busy machine far longer than one test, and a false timeout would count as detected.
  timeoutMS: 60_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
}
