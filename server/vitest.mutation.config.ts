import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config'
import base from './vitest.config.js'

// Its own file, not a project of vitest.config.ts: Stryker's vitest runner takes a config file but no
// `--project` filter, and would run every project in it (the fault test included).
// The suites that exercise the mutated token, store and provider code (see stryker.config.mjs), and nothing
// that starts processes or clusters of its own (migrations, SQLite crash, store outage, package):
// each mutant runs only the tests that cover it, but the initial run and static mutants run them all.
// Same setup as the main suite (one redis-server and PostgreSQL cluster per test runner).
const server = base.test?.projects?.find(
  (project): project is TestProjectInlineConfiguration =>
    typeof project === 'object' && 'test' in project && project.test?.name === 'server',
)
if (!server) throw new Error('server/vitest.config.ts has no project named "server"')

export default defineConfig({
  test: {
    ...base.test,
    projects: undefined,
    ...server.test,
    name: undefined,
    include: [
      'tests/store/store-contract.test.ts',
      'tests/store/sql-store-housekeeping.test.ts',
      'tests/store/user-cache.test.ts',
      'tests/tokens/tokens.test.ts',
      'tests/routes/refresh.test.ts',
      'tests/routes/logout.test.ts',
      'tests/routes/login.test.ts',
      'tests/auth/session-lifetimes.test.ts',
      'tests/tokens/jwt-access-tokens.test.ts',
      'tests/store/store-errors.test.ts',
      'tests/store/store-contract-edges.test.ts',
      'tests/store/sql-store-layout.test.ts',
      'tests/store/sql-store-failures.test.ts',
      'tests/store/sql-store-rotation.test.ts',
      'tests/routes/refresh-grace.test.ts',
      'tests/http/contract-edges.test.ts',
      'tests/routes/identity-routes.test.ts',
      'tests/providers/alipay.test.ts',
      'tests/providers/douyin.test.ts',
      'tests/providers/qq.test.ts',
      'tests/providers/provider-answers.test.ts',
      'tests/wechat/oauth-targets.test.ts',
      'tests/routes/login-targets.test.ts',
    ],
  },
})
